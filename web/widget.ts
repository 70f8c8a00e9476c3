/**
 * The widget's entry point (widget.js, loaded by index.html): reads the page's parameters
 * (`?embed=1&locale=es_US&title=...&config=...`, set by the loader), loads `config.json`, and
 * starts the chat with credentials from the identity pool. Framed by the loader, it talks to the
 * host page with postMessage: `conversational-chat:open` focuses the message box,
 * `conversational-chat:id-token` signs in (or out, with null); it sends
 * `conversational-chat:close` when the customer closes it (Escape or the close button).
 *
 * `window.ConversationalChat.setIdToken(token)` signs in in full-page mode.
 */
import { isLocaleId, type LocaleId } from '../contracts/bot-model/types';
import { WEB_CONFIG_FILE, webConfigError, type WebConfig } from '../contracts/web-config';
import { ChatApi } from './api';
import { Chat } from './chat';
import { CognitoCredentials, tokenSubject, userPoolLogin } from './credentials';
import { h } from './dom';
import { ConversationHistory } from './history';
import { TEXTS } from './i18n';
import { MESSAGE, type HostMessage } from './messages';

interface PageParams {
  readonly embedded: boolean;
  readonly locale?: LocaleId;
  readonly title?: string;
  readonly configUrl: string;
  readonly idToken?: string;
}

function pageParams(): PageParams {
  const q = new URLSearchParams(location.search);
  const locale = q.get('locale') ?? undefined;
  const title = q.get('title')?.slice(0, 80) || undefined;
  return {
    embedded: q.get('embed') === '1',
    ...(isLocaleId(locale) ? { locale } : {}),
    ...(title ? { title } : {}),
    configUrl: new URL(q.get('config') || WEB_CONFIG_FILE, location.href).href,
  };
}

async function loadConfig(url: string): Promise<WebConfig> {
  const res = await fetch(url, { credentials: 'omit', cache: 'no-cache' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  const value = (await res.json()) as unknown;
  const error = webConfigError(value);
  if (error) throw new Error(error);
  return value as WebConfig;
}

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // blocked (third-party storage settings, sandbox)
  }
}

/** The browser's preferred locale among the configured ones, else the first. */
function preferredLocale(config: WebConfig): LocaleId {
  for (const lang of navigator.languages ?? [navigator.language]) {
    const match = config.locales.find((l) => l.split('_')[0] === lang.split('-')[0]);
    if (match) return match;
  }
  return config.locales[0]!;
}

function postToHost(type: string): void {
  if (window.parent !== window) window.parent.postMessage({ type }, '*'); // nothing secret in it
}

/** Sign-in before the chat is ready is kept and applied once it is. */
let signIn: ((token: string | null) => void) | undefined;
let queuedToken: string | null | undefined;
const setIdToken = (token: string | null | undefined): void => {
  if (token !== null && token !== undefined && typeof token !== 'string') return;
  if (signIn) signIn(token ?? null);
  else queuedToken = token ?? null;
};

/** The JS API of the chat's own window (full-page mode; the loader's API forwards to it). */
const api: { setIdToken: typeof setIdToken; newConversation?: () => void } = { setIdToken };
(window as unknown as { ConversationalChat: typeof api }).ConversationalChat = api;

async function main(): Promise<void> {
  const params = pageParams();
  if (params.embedded) document.documentElement.classList.add('embedded');
  let config: WebConfig;
  try {
    config = await loadConfig(params.configUrl);
  } catch (err) {
    console.error('[chat]', (err as Error).message);
    const t = TEXTS[params.locale ?? 'en_US'];
    document.body.appendChild(h('p', { class: 'unavailable', role: 'alert' }, t.configError));
    return;
  }
  const storage = localStorageOrUndefined();
  const credentials = new CognitoCredentials({
    region: config.region,
    identityPoolId: config.identityPoolId,
    ...(config.identityEndpoint ? { endpoint: config.identityEndpoint } : {}),
    ...(storage ? { storage } : {}),
  });
  const chatApi = new ChatApi({ apiUrl: config.apiUrl, region: config.region, credentials });
  const locale =
    params.locale && config.locales.includes(params.locale) ? params.locale : preferredLocale(config);
  const chat = new Chat({
    config,
    api: chatApi,
    history: new ConversationHistory(storage, config.identityPoolId),
    locale,
    embedded: params.embedded,
    ...(params.title ? { title: params.title } : {}),
    onClose: () => postToHost(MESSAGE.close),
    base: location.href,
    ...(storage ? { storage } : {}),
    developerInfo: () => ({ identity: credentials.identityId, api: config.apiUrl }),
  });

  let signedInAs: string | undefined;
  signIn = (token) => {
    if (!config.userPool) {
      console.warn('[chat] setIdToken: this chat has no user pool (config.json userPool)');
      return;
    }
    const next = token || undefined;
    if (next === signedInAs) return;
    signedInAs = next;
    credentials.setLogins(next ? { [userPoolLogin(config.region, config.userPool.id)]: next } : undefined);
    chat.setOwner(
      next ? (tokenSubject(next) ?? 'user') : undefined,
      next ? TEXTS[locale].signedIn : undefined,
    );
  };
  if (queuedToken !== undefined) signIn(queuedToken);

  window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
    if (event.source !== window.parent || window.parent === window) return;
    const data = event.data;
    if (data?.type === MESSAGE.open) chat.focusInput();
    else if (data?.type === MESSAGE.idToken) setIdToken(typeof data.token === 'string' ? data.token : null);
  });
  api.newConversation = () => chat.newConversation();
  if (params.embedded) postToHost(MESSAGE.ready);
  else chat.focusInput();
}

void main();

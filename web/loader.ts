/**
 * The embed loader (loader.js): the one script a host page adds.
 *
 *   <script src="https://chat.example.com/loader.js" defer
 *           data-locale="es_US" data-position="left" data-title="Ayuda"
 *           data-open="false" data-config="https://chat.example.com/config.json"></script>
 *
 * It adds a launcher button and, on first open, an iframe with the chat (index.html?embed=1)
 * from the loader's own origin. Why an iframe and not a shadow root: the chat's requests
 * (Cognito Identity, the signed API calls), its credentials and its history then live in the
 * widget's origin under the widget's own CSP; the host page needs no `connect-src` for AWS, its
 * scripts cannot read the customer's temporary credentials or conversation, and no host style
 * reaches the chat (nor the chat's the host). The launcher sits in a shadow root with a
 * constructed stylesheet, which a host CSP's `style-src` does not block.
 *
 * JS API: `ConversationalChat.open()`, `.close()`, `.toggle()`, `.setIdToken(token | null)`.
 */
import { MESSAGE } from './messages';

interface LoaderOptions {
  readonly base: URL;
  readonly locale?: string;
  readonly position: 'left' | 'right';
  readonly title?: string;
  readonly open: boolean;
  readonly config?: string;
  readonly idToken?: string;
}

const OPEN_KEY = 'conversational-chat:open';

const LABELS: Record<string, { open: string; close: string; title: string }> = {
  en: { open: 'Open chat', close: 'Close chat', title: 'Customer support chat' },
  es: { open: 'Abrir el chat', close: 'Cerrar el chat', title: 'Chat de atención al cliente' },
};

const STYLES = `
:host { all: initial; }
.launcher {
  position: fixed; bottom: 16px; z-index: 2147483001;
  width: 56px; height: 56px; border-radius: 50%; border: 0; padding: 0;
  display: flex; align-items: center; justify-content: center;
  background: #0b5cad; color: #fff; cursor: pointer;
  box-shadow: 0 4px 14px rgba(0,0,0,.28);
}
.launcher:hover { background: #084a8c; }
.launcher:focus-visible { outline: 3px solid #f5a623; outline-offset: 3px; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.panel {
  position: fixed; bottom: 84px; z-index: 2147483000;
  width: min(400px, calc(100vw - 32px)); height: min(640px, calc(100vh - 104px));
  border-radius: 12px; overflow: hidden; background: #fff;
  box-shadow: 0 8px 32px rgba(0,0,0,.3);
}
.panel[hidden] { display: none; }
.right { right: 16px; }
.left { left: 16px; }
iframe { display: block; width: 100%; height: 100%; border: 0; }
@media (max-width: 480px), (max-height: 520px) {
  .panel { inset: 0; width: 100vw; height: 100vh; height: 100dvh; border-radius: 0; }
  .open .launcher { display: none; }
}
`;

function readOptions(script: HTMLScriptElement): LoaderOptions {
  const d = script.dataset;
  return {
    base: new URL('.', script.src || location.href),
    ...(d.locale ? { locale: d.locale } : {}),
    position: d.position === 'left' || d.position === 'bottom-left' ? 'left' : 'right',
    ...(d.title ? { title: d.title } : {}),
    open: d.open === 'true' || d.open === '',
    ...(d.config ? { config: d.config } : {}),
    ...(d.idToken ? { idToken: d.idToken } : {}),
  };
}

function svg(d: string): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const el = document.createElementNS(NS, 'svg');
  el.setAttribute('viewBox', '0 0 24 24');
  el.setAttribute('aria-hidden', 'true');
  el.setAttribute('focusable', 'false');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', d);
  el.appendChild(path);
  return el;
}

const CHAT_ICON =
  'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2zm3 6v2h10V9zm0-3v2h10V6zm0 6v2h7v-2z';
const CLOSE_ICON =
  'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z';

function sessionFlag(value?: boolean): boolean {
  try {
    if (value !== undefined) sessionStorage.setItem(OPEN_KEY, value ? '1' : '0');
    return sessionStorage.getItem(OPEN_KEY) === '1';
  } catch {
    return false;
  }
}

function mount(opts: LoaderOptions): void {
  const labels = LABELS[(opts.locale ?? document.documentElement.lang ?? 'en').slice(0, 2)] ?? LABELS.en!;
  const title = opts.title ?? labels.title;
  const host = document.createElement('div');
  host.setAttribute('data-conversational-chat', '');
  const shadow = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style'); // older browsers: subject to the host's style-src
    style.textContent = STYLES;
    shadow.appendChild(style);
  }
  const wrapper = document.createElement('div');
  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = `launcher ${opts.position}`;
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'conversational-chat-panel');
  const panel = document.createElement('div');
  panel.id = 'conversational-chat-panel';
  panel.className = `panel ${opts.position}`;
  panel.hidden = true;
  wrapper.append(panel, launcher);
  shadow.appendChild(wrapper);
  document.body.appendChild(host);

  let frame: HTMLIFrameElement | undefined;
  let ready = false;
  let idToken: string | null | undefined = opts.idToken;
  const origin = opts.base.origin;

  const setLauncher = (open: boolean): void => {
    launcher.replaceChildren(svg(open ? CLOSE_ICON : CHAT_ICON));
    launcher.setAttribute('aria-label', `${open ? labels.close : labels.open}: ${title}`);
    launcher.setAttribute('aria-expanded', String(open));
    wrapper.classList.toggle('open', open);
  };
  const post = (message: object): void => {
    if (ready) frame?.contentWindow?.postMessage(message, origin);
  };
  const createFrame = (): HTMLIFrameElement => {
    const src = new URL('index.html', opts.base);
    src.searchParams.set('embed', '1');
    if (opts.locale) src.searchParams.set('locale', opts.locale);
    if (opts.title) src.searchParams.set('title', opts.title);
    if (opts.config) src.searchParams.set('config', new URL(opts.config, location.href).href);
    const iframe = document.createElement('iframe');
    iframe.src = src.href;
    iframe.title = title;
    iframe.setAttribute('allow', '');
    panel.appendChild(iframe);
    return iframe;
  };
  let focusOnReady = false;
  const open = (focus = true): void => {
    frame ??= createFrame();
    panel.hidden = false;
    setLauncher(true);
    sessionFlag(true);
    if (!focus) return;
    if (ready) {
      frame.focus();
      post({ type: MESSAGE.open });
    } else focusOnReady = true;
  };
  const close = (): void => {
    if (panel.hidden) return;
    panel.hidden = true;
    setLauncher(false);
    sessionFlag(false);
    launcher.focus();
  };
  const toggle = (): void => (panel.hidden ? open() : close());

  launcher.addEventListener('click', toggle);
  host.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) close();
  });
  window.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    if (event.data?.type === MESSAGE.ready) {
      ready = true;
      if (idToken !== undefined) post({ type: MESSAGE.idToken, token: idToken });
      if (focusOnReady) {
        focusOnReady = false;
        frame.focus();
        post({ type: MESSAGE.open });
      }
    } else if (event.data?.type === MESSAGE.close) close();
  });

  setLauncher(false);
  (window as unknown as { ConversationalChat: object }).ConversationalChat = {
    open: () => open(),
    close,
    toggle,
    /** Signs the customer in with a Cognito user pool id token (null signs out). */
    setIdToken(token: string | null) {
      idToken = token;
      post({ type: MESSAGE.idToken, token });
    },
  };
  if (opts.open || sessionFlag()) open(false);
}

const script = document.currentScript as HTMLScriptElement | null;
if (script) {
  const opts = readOptions(script);
  if (document.body) mount(opts);
  else document.addEventListener('DOMContentLoaded', () => mount(opts), { once: true });
}

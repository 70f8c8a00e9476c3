/**
 * The web chat on the local platform (docs/local-platform.md, "The web chat"): the same widget a
 * stage deploys (bundling/web.ts), built in memory with esbuild when the platform starts (once,
 * then cached), and a `config.json` made from the local settings:
 *   GET /                  the chat, full page (index.html)
 *   GET /index.html, /widget.js, /widget.css, /loader.js
 *   GET /config.json       apiUrl = the origin the browser used, the environment's region and
 *                          welcome text, the local identity stand-in's pool and endpoint
 *   GET /embed-demo.html   a plain host page that embeds the chat with one script tag;
 *                          `?locale=es_US&position=left&open=true&title=...` set its data attributes
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildWidgetAssets, type WidgetAsset } from '../../bundling/web';
import type { LocaleId } from '../../contracts/bot-model/types';
import {
  LOCAL_IDENTITY_PATH,
  localIdentityPoolId,
  WEB_CONFIG_FILE,
  type WebConfig,
} from '../../contracts/web-config';
import type { EnvironmentConfig } from '../../lib/config/types';

/** Where the local Cognito Identity stand-in answers, and the pool id it knows. */
export interface LocalIdentitySettings {
  readonly identityPoolId: string;
  /** Path (on the platform's own origin) or absolute URL of the stand-in's endpoint. */
  readonly endpoint: string;
  /** A local user pool whose id tokens the stand-in accepts (signed-in mode). */
  readonly userPool?: { readonly id: string; readonly clientId: string };
}

/** The local Cognito Identity stand-in (local/identity) as config.json names it, for a region. */
export const localWebIdentity = (region: string): LocalIdentitySettings => ({
  identityPoolId: localIdentityPoolId(region),
  endpoint: LOCAL_IDENTITY_PATH,
});

export interface LocalWebOptions {
  readonly env: EnvironmentConfig;
  readonly locales: readonly LocaleId[];
  /** @default the local stand-in (localWebIdentity) */
  readonly identity?: LocalIdentitySettings;
  /** Built assets to serve instead of building (tests). */
  readonly assets?: Promise<readonly WidgetAsset[]>;
}

/** The CSP of the chat's own pages: everything from the platform's origin, framed by itself only. */
const CHAT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
/** The demo host page's CSP: what the embedding section of docs/web.md tells a site owner to allow. */
const DEMO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'self'; connect-src 'none'; " +
  "img-src 'self' data:; base-uri 'none'";

export interface LocalWeb {
  /** Answers a GET/HEAD of one of the chat's paths; false for any other path. */
  serve(method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The assets, once built (start-up waits for them before it says it is ready). */
  readonly ready: Promise<readonly WidgetAsset[]>;
  /** config.json as served to a browser that reached the platform at `origin`. */
  config(origin: string): WebConfig;
}

export function createLocalWeb(opts: LocalWebOptions): LocalWeb {
  const ready = opts.assets ?? buildWidgetAssets();
  ready.catch(() => undefined); // reported by whoever awaits it
  const identity = opts.identity ?? localWebIdentity(opts.env.region);
  const config = (origin: string): WebConfig => ({
    apiUrl: origin,
    region: opts.env.region,
    identityPoolId: identity.identityPoolId,
    identityEndpoint: new URL(identity.endpoint, origin).href,
    locales: [...opts.locales],
    welcome: Object.fromEntries(opts.locales.map((l) => [l, opts.env.web.welcome[l]])),
    ...(identity.userPool ? { userPool: identity.userPool } : {}),
    developerToggle: opts.env.web.developerToggle,
  });
  return {
    ready,
    config,
    async serve(method, path, req, res) {
      if (method !== 'GET' && method !== 'HEAD') return false;
      const name = path === '/' ? 'index.html' : path.slice(1);
      if (name === WEB_CONFIG_FILE) {
        send(res, method, 'application/json', Buffer.from(JSON.stringify(config(originOf(req)))), CHAT_CSP);
        return true;
      }
      if (name === 'embed-demo.html') {
        const url = new URL(req.url ?? '/', 'http://localhost');
        send(res, method, 'text/html; charset=utf-8', Buffer.from(demoPage(url.searchParams)), DEMO_CSP);
        return true;
      }
      if (name.includes('/')) return false;
      const asset = (await ready).find((a) => a.path === name);
      if (!asset) return false;
      send(res, method, asset.contentType, asset.contents, CHAT_CSP);
      return true;
    },
  };
}

/** The origin the browser used (Host header), so the page signs for the host it talks to. */
function originOf(req: IncomingMessage): string {
  const host = req.headers.host;
  const local = req.socket.localAddress ?? '127.0.0.1';
  return `http://${host && /^[\w.:[\]-]+$/.test(host) ? host : `${local}:${req.socket.localPort}`}`;
}

function send(res: ServerResponse, method: string, type: string, body: Uint8Array, csp: string): void {
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'content-security-policy': csp,
  });
  res.end(method === 'HEAD' ? undefined : body);
}

const escapeAttr = (value: string): string => value.replace(/[&"<>']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain page of a "site" that embeds the chat with one script tag (no inline script or style). */
export function demoPage(params: URLSearchParams): string {
  const raw: string[] = [];
  for (const name of ['locale', 'position', 'title', 'open', 'config']) {
    const value = params.get(name);
    if (value !== null) raw.push(`data-${name}="${value.slice(0, 200)}"`);
  }
  const attrs = raw.map((attr) => attr.replace(/="(.*)"$/s, (_, v: string) => `="${escapeAttr(v)}"`));
  const lang = (params.get('locale') ?? 'en').slice(0, 2).replace(/[^a-z]/g, '') || 'en';
  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Example Store — embedded chat demo</title>
  </head>
  <body>
    <header><h1>Example Store</h1></header>
    <main>
      <p>A plain page of a site that embeds the support chat with one script tag:</p>
      <pre><code>&lt;script src="/loader.js" defer${escapeAttr(raw.map((r) => ` ${r}`).join(''))}&gt;&lt;/script&gt;</code></pre>
      <p>The launcher button at the bottom opens the chat.</p>
    </main>
    <script src="/loader.js" defer${attrs.map((a) => ` ${a}`).join('')}></script>
  </body>
</html>
`;
}

/**
 * The local platform's HTTP routes, on one port:
 *   POST /bots/{botId}/botAliases/{aliasId}/botLocales/{locale}/sessions/{id}/text
 *                                     the local Lex V2 runtime (RecognizeText REST protocol)
 *   GET  /v1/health                   every dependency's state (health.ts)
 *   POST /v1/conversations/{id}/messages  the channel Lambda handler, fed the API Gateway
 *                                     HTTP API v2 event the request produces
 *   GET  /, /app.js, /styles.css      the web chat page (local/web)
 * and API Gateway's 404 for anything else.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { LocaleId } from '../../contracts/bot-model/types';
import { lambdaContext, matchRoute, toApiGatewayEvent, writeLambdaResult, type Route } from '../api-gateway';
import type { Handler } from '../dual-protocol';
import { handleRecognizeText, matchRecognizeText } from '../lex/lex-http';
import type { LexRuntime } from '../lex/lex-runtime';
import type { HealthReport } from './health';
import { LOCAL_BOT_ALIAS_ID, LOCAL_BOT_ID, TEST_BOT_ALIAS_ID, TEST_BOT_ID } from './types';

export type ChannelHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<unknown>;

const MESSAGES_ROUTE: Route = { method: 'POST', template: '/v1/conversations/{conversationId}/messages' };
const MAX_BODY_BYTES = 1024 * 1024;
const WEB_DIR = join(__dirname, '..', 'web');
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/styles.css': { file: 'styles.css', type: 'text/css; charset=utf-8' },
};

export interface RouterDeps {
  readonly lex: LexRuntime;
  readonly health: () => Promise<HealthReport>;
  /** The channel handler (set once the server knows its URL). */
  readonly channel: () => ChannelHandler | undefined;
}

/** The server's request handler: routes, and answers 500 when routing itself fails. */
export function createRouter(deps: RouterDeps): Handler {
  return (req, res) => {
    void route(deps, req, res).catch((err: unknown) => {
      console.error('[local] request failed:', err);
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'INTERNAL', message: 'local platform error' } });
      else res.end();
    });
  };
}

async function route(deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const lexMatch = matchRecognizeText(method, path);
  if (lexMatch) {
    const body = await readBody(req, res);
    if (body !== undefined) await handleRecognizeText(deps.lex, lexMatch, body, req, res);
    return;
  }
  if (path === '/v1/health' && (method === 'GET' || method === 'HEAD')) {
    const health = await deps.health();
    sendJson(res, health.status === 'ok' ? 200 : 503, health);
    return;
  }
  const params = matchRoute(MESSAGES_ROUTE, method, path);
  if (params) {
    const body = await readBody(req, res);
    if (body === undefined) return;
    const event = toApiGatewayEvent(req, MESSAGES_ROUTE, params, body);
    const result = await deps.channel()!(event, lambdaContext('local-channel', 10_000));
    writeLambdaResult(res, result);
    return;
  }
  if (serveStatic(method, path, res)) return;
  // API Gateway's answer for a route that does not exist
  sendJson(res, 404, { message: 'Not Found' });
}

/** The web chat's files and an empty favicon; false when `path` is none of them. */
function serveStatic(method: string, path: string, res: ServerResponse): boolean {
  const asset = STATIC[path];
  if (asset && (method === 'GET' || method === 'HEAD')) {
    const content = readFileSync(join(WEB_DIR, asset.file));
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': content.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy':
        "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'",
    });
    res.end(method === 'HEAD' ? undefined : content);
    return true;
  }
  if (path === '/favicon.ico') {
    res.writeHead(204, { 'cache-control': 'max-age=86400' });
    res.end();
    return true;
  }
  return false;
}

async function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      sendJson(res, 413, { message: 'Request Entity Too Large' });
      req.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

/** The substitution lines of what the routes stand in for (printed at start-up). */
export function routeLines(url: string, locales: readonly LocaleId[]): string[] {
  return [
    `API Gateway HTTP API -> this server (${url}); POST /v1/conversations/{id}/messages runs the channel Lambda handler src/handlers/channel.ts`,
    `Lex V2 runtime       -> local RecognizeText at ${url}/bots/{botId}/botAliases/{aliasId}/botLocales/{locale}/sessions/{id}/text; bot id ${LOCAL_BOT_ID} (or ${TEST_BOT_ID}), alias id ${LOCAL_BOT_ALIAS_ID} (or ${TEST_BOT_ALIAS_ID}), locales ${locales.join(', ')}`,
  ];
}

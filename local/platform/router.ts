/**
 * The local platform's HTTP routes, on one port:
 *   POST /bots/{botId}/botAliases/{aliasId}/botLocales/{locale}/sessions/{id}/text
 *                                     the local Lex V2 runtime (RecognizeText REST protocol)
 *   GET  /v1/health                   every dependency's state (health.ts)
 *   POST /v1/conversations/{id}/messages (and /feedback)  the channel Lambda handler, fed the API Gateway
 *                                     HTTP API v2 event the request produces
 *   POST /v1/tickets, GET|PATCH /v1/tickets/{ticketId}
 *                                     the support desk's ticket API (src/tickets-api), same
 *                                     event shape, over the local tickets table (no SigV4
 *                                     locally: IAM authorization is API Gateway's, not the code's)
 *   GET  /, /config.json, /loader.js, /embed-demo.html, ...  the web chat (web.ts)
 * and API Gateway's 404 for anything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { LocaleId } from '../../contracts/bot-model/types';
import { errorResponse } from '../../src/channel/http';
import { MAX_BODY_BYTES as CHANNEL_MAX_BODY_BYTES } from '../../src/channel/request';
import { lambdaContext, matchRoute, toApiGatewayEvent, writeLambdaResult, type Route } from '../api-gateway';
import type { Handler } from '../dual-protocol';
import type { LocalAuth } from '../identity/gateway';
import { unsignedCaller } from '../identity/identities';
import { handleRecognizeText, matchRecognizeText } from '../lex/lex-http';
import type { LexRuntime } from '../lex/lex-runtime';
import type { HealthReport } from './health';
import type { LocalWeb } from './web';
import { LOCAL_BOT_ALIAS_ID, LOCAL_BOT_ID, TEST_BOT_ALIAS_ID, TEST_BOT_ID } from './types';

export type ChannelHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<unknown>;
export type TicketsApiHandler = (event: APIGatewayProxyEventV2) => Promise<unknown>;

const MESSAGES_ROUTE: Route = { method: 'POST', template: '/v1/conversations/{conversationId}/messages' };
const FEEDBACK_ROUTE: Route = { method: 'POST', template: '/v1/conversations/{conversationId}/feedback' };
/** The ticket API's routes, as API Gateway keys them (TICKET_ROUTES). */
const TICKET_ROUTE_LIST: readonly Route[] = [
  { method: 'POST', template: '/v1/tickets' },
  { method: 'GET', template: '/v1/tickets/{ticketId}' },
  { method: 'PATCH', template: '/v1/tickets/{ticketId}' },
];
/**
 * What the server reads of a body at most: the channel refuses more than 16 KiB itself
 * (413 in the contract's shape); beyond this the body is not even buffered.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface RouterDeps {
  readonly lex: LexRuntime;
  readonly health: () => Promise<HealthReport>;
  /** The channel handler (set once the server knows its URL). */
  readonly channel: () => ChannelHandler | undefined;
  /** The web chat's files and config.json (web.ts). */
  readonly web?: LocalWeb;
  /** API Gateway's IAM authorisation and the Cognito Identity stand-in (local/identity). */
  readonly auth?: LocalAuth;
  /**
   * The ticket API handler (src/tickets-api/routes.ts over the local tickets table).
   * @default - no ticket routes (API Gateway's 404)
   */
  readonly tickets?: TicketsApiHandler;
  /**
   * Where one-line debug notes go (a client that went away mid-request).
   * @default console.debug when the platform's log level (POWERTOOLS_LOG_LEVEL / LOG_LEVEL) is DEBUG or TRACE
   */
  readonly debug?: (line: string) => void;
}

/**
 * The server's request handler: routes, and answers 500 when routing itself fails. A request
 * its client aborted is no failure of ours: one line at debug, no stack trace.
 */
export function createRouter(deps: RouterDeps): Handler {
  const debug = deps.debug ?? debugFromEnv();
  return (req, res) => {
    void route(deps, req, res).catch((err: unknown) => {
      if (isClientAbort(req, err)) {
        debug?.(
          `[local] ${req.method ?? '?'} ${pathOf(req)}: client aborted the request (${errorCode(err)})`,
        );
        if (!res.writableEnded) res.end();
        return;
      }
      console.error('[local] request failed:', err);
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'INTERNAL', message: 'local platform error' } });
      else res.end();
    });
  };
}

function debugFromEnv(): ((line: string) => void) | undefined {
  const level = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? '').toUpperCase();
  return level === 'DEBUG' || level === 'TRACE' ? (line) => console.debug(line) : undefined;
}

const errorCode = (err: unknown): string =>
  (err as { code?: unknown } | null)?.code ? String((err as { code: unknown }).code) : String(err);

/**
 * The client closed the connection before its request was read: reading the body failed with
 * Node's `aborted` (ECONNRESET) or a premature close, and the request never completed.
 */
function isClientAbort(req: IncomingMessage, err: unknown): boolean {
  if (req.complete) return false;
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error)?.message === 'aborted'
  );
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '?';
  }
}

async function route(deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const lexMatch = matchRecognizeText(method, path);
  if (lexMatch) {
    // what AWS front ends answer for an oversized request
    const body = await readBody(req, res, () => sendJson(res, 413, { message: 'Request Entity Too Large' }));
    if (body !== undefined) await handleRecognizeText(deps.lex, lexMatch, body, req, res);
    return;
  }
  if (path === '/v1/health' && (method === 'GET' || method === 'HEAD')) {
    const health = await deps.health();
    sendJson(res, health.status === 'ok' ? 200 : 503, health);
    return;
  }
  if (deps.auth?.isIdentityRequest(method, path)) {
    const body = await readBody(req, res, () => sendJson(res, 413, { message: 'Request Entity Too Large' }));
    if (body !== undefined) deps.auth.identity(req, body, res);
    return;
  }
  const route = [MESSAGES_ROUTE, FEEDBACK_ROUTE].find((r) => matchRoute(r, method, path));
  const params = route && matchRoute(route, method, path);
  if (route && params) {
    // the conversation API's own 413 (the channel's answer for a body over 16 KiB)
    const body = await readBody(req, res, () => writeLambdaResult(res, bodyTooLarge()));
    if (body === undefined) return;
    // IAM auth before the function, as API Gateway: a refused request never reaches it
    const iam = deps.auth ? await deps.auth.authorize(req, body, res) : unsignedCaller(undefined);
    if (!iam) return;
    const event = toApiGatewayEvent(req, route, params, body, new Date(), iam);
    const result = await deps.channel()!(event, lambdaContext('local-channel', 10_000));
    writeLambdaResult(res, result);
    return;
  }
  if (deps.tickets && (await routeTickets(deps.tickets, method, path, req, res))) return;
  if (deps.web && (await deps.web.serve(method, path, req, res))) return;
  if (serveFavicon(path, res)) return;
  // API Gateway's answer for a route that does not exist
  sendJson(res, 404, { message: 'Not Found' });
}

/** The ticket API's routes; false when `path` is none of them. */
async function routeTickets(
  tickets: TicketsApiHandler,
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  for (const route of TICKET_ROUTE_LIST) {
    const params = matchRoute(route, method, path);
    if (!params) continue;
    const body = await readBody(req, res, () => writeLambdaResult(res, bodyTooLarge()));
    if (body === undefined) return true;
    writeLambdaResult(res, await tickets(toApiGatewayEvent(req, route, params, body)));
    return true;
  }
  return false;
}

/** An empty favicon; false for any other path. */
function serveFavicon(path: string, res: ServerResponse): boolean {
  if (path === '/favicon.ico') {
    res.writeHead(204, { 'cache-control': 'max-age=86400' });
    res.end();
    return true;
  }
  return false;
}

/** The conversation API's answer to a body over its limit: `{ error: { code, message, field } }`. */
const bodyTooLarge = (): ReturnType<typeof errorResponse> =>
  errorResponse(413, 'BODY_TOO_LARGE', `body must be at most ${CHANNEL_MAX_BODY_BYTES} bytes`, 'body');

/**
 * The body as UTF-8, or undefined once `tooLarge` has answered a body over MAX_BODY_BYTES (by
 * its content-length, or as it arrives): the answer goes out with `connection: close`, the rest
 * of the body is drained unread so the client gets to read it, and the connection then closes.
 */
async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  tooLarge: () => void,
): Promise<string | undefined> {
  const refuse = (): undefined => {
    if (req.httpVersionMajor === 1) res.setHeader('connection', 'close');
    tooLarge();
    req.resume();
    return undefined;
  };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return refuse();
  const chunks: Buffer[] = [];
  let size = 0;
  // not destroyed on an early return: the refused body is drained, not reset
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return refuse();
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
    `Ticket API           -> POST ${url}/v1/tickets, GET|PATCH ${url}/v1/tickets/{ticketId} run src/tickets-api over the local tickets table (no SigV4: the SupportDeskRole is API Gateway's check)`,
    `Lex V2 runtime       -> local RecognizeText at ${url}/bots/{botId}/botAliases/{aliasId}/botLocales/{locale}/sessions/{id}/text; bot id ${LOCAL_BOT_ID} (or ${TEST_BOT_ID}), alias id ${LOCAL_BOT_ALIAS_ID} (or ${TEST_BOT_ALIAS_ID}), locales ${locales.join(', ')}`,
  ];
}

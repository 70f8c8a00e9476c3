/**
 * The local platform's own admin route, on the same port, local mode only (it exists nowhere
 * else), answered to loopback clients only (403 otherwise, e.g. with HOST=0.0.0.0):
 *   GET  /local/faults                      {"faults": [...switched off], "known": [...]}
 *   POST /local/faults {"faults": ["events"]}  replaces the set of switched-off dependencies
 *                                           ({"faults": []} switches everything back on)
 * Everything else goes to the platform's router.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../dual-protocol';
import { FAULT_TARGETS, parseFaults, UnknownFaultError, type FaultTarget, type LocalFaults } from '../faults';

export const FAULTS_PATH = '/local/faults';
const MAX_BODY_BYTES = 16 * 1024;

export function withAdminRoutes(faults: LocalFaults, next: Handler, log: (line: string) => void): Handler {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== FAULTS_PATH) {
      next(req, res);
      return;
    }
    faultsRoute(faults, req, res, log).catch(() => {
      if (!res.headersSent) send(res, 500, { error: { code: 'INTERNAL', message: 'local platform error' } });
      else res.end();
    });
  };
}

async function faultsRoute(
  faults: LocalFaults,
  req: IncomingMessage,
  res: ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) {
    send(res, 403, {
      error: { code: 'FORBIDDEN', message: 'the fault switches answer loopback clients only' },
    });
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'POST') {
    const targets = await readTargets(req, res);
    if (!targets) return;
    faults.set(targets);
    log(
      `[local] fault switches: ${targets.length ? `${faults.list().join(', ')} switched off` : 'all dependencies on'}`,
    );
  } else if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('allow', 'GET, POST');
    send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'use GET or POST' } });
    return;
  }
  send(res, 200, { faults: faults.list(), known: FAULT_TARGETS });
}

/** The body's `faults` list, or undefined after answering 400. */
async function readTargets(req: IncomingMessage, res: ServerResponse): Promise<FaultTarget[] | undefined> {
  let raw = '';
  for await (const chunk of req) {
    raw += (chunk as Buffer).toString('utf8');
    if (raw.length > MAX_BODY_BYTES) break;
  }
  const bad = (message: string): undefined => {
    send(res, 400, { error: { code: 'INVALID_FAULTS', message, field: 'faults' } });
    return undefined;
  };
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return bad('the body must be JSON: {"faults": ["dynamodb", ...]}');
  }
  const list = (body as { faults?: unknown } | null)?.faults;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))
    return bad(`faults must be a list of names out of ${FAULT_TARGETS.join(', ')}`);
  try {
    return parseFaults(list);
  } catch (err) {
    if (err instanceof UnknownFaultError) return bad(err.message);
    throw err;
  }
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

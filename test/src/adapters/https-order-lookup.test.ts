import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpsOrderLookup } from '../../../src/adapters/https-order-lookup';
import { CircuitBreaker } from '../../../src/util/circuit-breaker';

/**
 * The adapter insists on https; the tests point it at https://orders.test and route its fetch to
 * a real loopback HTTP server, so status codes, bodies and slow answers are real sockets.
 */
type Reply = (path: string, auth: string | undefined) => { status: number; body?: unknown; delayMs?: number };

let server: Server;
let port = 0;
let reply: Reply;
let requests: { path: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push({ path, auth: req.headers.authorization });
    const r = reply(path, req.headers.authorization);
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    }, r.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = [];
});

const loopbackFetch: typeof fetch = (input, init) =>
  fetch(String(input).replace('https://orders.test', `http://127.0.0.1:${port}`), init);

const lookup = (overrides: Partial<Parameters<typeof httpsOrderLookup>[0]> = {}) =>
  httpsOrderLookup({
    baseUrl: 'https://orders.test/api/',
    token: async () => 'tok-1',
    // generous: a test about retries must not see a timeout on a busy CI machine (a slow first
    // answer was retried once); the timeout test sets its own
    timeoutMs: 5_000,
    fetch: loopbackFetch,
    ...overrides,
  });

describe('order lookup over HTTPS', () => {
  test('GIVEN the order system knows the order WHEN looked up THEN the order comes back as it said, with the bearer token sent', async () => {
    reply = () => ({
      status: 200,
      body: { status: 'shipped', carrier: 'UPS', estimatedDelivery: '2026-12-03' },
    });
    await expect(lookup().find('AB12345')).resolves.toEqual({
      kind: 'found',
      order: { orderNumber: 'AB12345', status: 'shipped', carrier: 'UPS', estimatedDelivery: '2026-12-03' },
    });
    expect(requests).toEqual([{ path: '/api/orders/AB12345', auth: 'Bearer tok-1' }]);
  });

  test('GIVEN a 404 WHEN looked up THEN not-found, without a retry', async () => {
    reply = () => ({ status: 404, body: { message: 'no such order' } });
    await expect(lookup().find('12345')).resolves.toEqual({ kind: 'not-found' });
    expect(requests).toHaveLength(1);
  });

  test('GIVEN an answer with a status the platform does not know WHEN looked up THEN unavailable, never a guessed status', async () => {
    reply = () => ({ status: 200, body: { status: 'teleported' } });
    await expect(lookup().find('12345')).resolves.toEqual({
      kind: 'unavailable',
      reason: 'invalid-response',
    });
  });

  test('GIVEN a 503 then a 200 WHEN looked up THEN the retry within the budget finds the order', async () => {
    let n = 0;
    reply = () => (++n === 1 ? { status: 503 } : { status: 200, body: { status: 'processing' } });
    await expect(lookup().find('12345')).resolves.toMatchObject({
      kind: 'found',
      order: { status: 'processing' },
    });
    expect(requests).toHaveLength(2);
  });

  test('GIVEN a slow order system WHEN the budget runs out THEN unavailable (timeout) by the deadline', async () => {
    reply = () => ({ status: 200, body: { status: 'shipped' }, delayMs: 2_000 });
    const started = Date.now();
    const result = await lookup({ timeoutMs: 200 }).find('12345', { deadline: Date.now() + 450 });
    expect(result).toEqual({ kind: 'unavailable', reason: 'timeout' });
    // by the 450 ms deadline, not the 2 s answer (with room for a busy machine)
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test('GIVEN a 401 (our credentials) WHEN looked up THEN unavailable without a retry', async () => {
    reply = () => ({ status: 401 });
    await expect(lookup().find('12345')).resolves.toEqual({ kind: 'unavailable', reason: 'error' });
    expect(requests).toHaveLength(1);
  });

  test('GIVEN the secret cannot be read WHEN looked up THEN unavailable and no request is sent', async () => {
    reply = () => ({ status: 200, body: { status: 'shipped' } });
    const result = await lookup({ token: () => Promise.reject(new Error('AccessDenied')) }).find('12345');
    expect(result).toEqual({ kind: 'unavailable', reason: 'error' });
    expect(requests).toHaveLength(0);
  });

  test('GIVEN an order system that keeps failing WHEN the breaker opens THEN later lookups fail fast without a request', async () => {
    reply = () => ({ status: 500 });
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 60_000 });
    const orders = lookup({ breaker });
    await expect(orders.find('12345')).resolves.toEqual({ kind: 'unavailable', reason: 'error' });
    expect(requests).toHaveLength(2);
    await expect(orders.find('12345')).resolves.toEqual({ kind: 'unavailable', reason: 'circuit-open' });
    expect(requests).toHaveLength(2);
  });

  test('GIVEN an order number with URL characters WHEN looked up THEN it is encoded into one path segment', async () => {
    reply = () => ({ status: 404 });
    await lookup().find('12/../x?y');
    expect(requests[0]?.path).toBe('/api/orders/12%2F..%2Fx%3Fy');
  });

  test('GIVEN an http URL WHEN the adapter is built THEN it refuses it', () => {
    expect(() =>
      httpsOrderLookup({ baseUrl: 'http://orders.test', token: async () => 't', timeoutMs: 1 }),
    ).toThrow('https');
  });
});

/**
 * The local platform's one-port HTTP/1 + HTTP/2 server: a slow-header (slowloris) or silent
 * connection is closed after the headers timeout, although the HTTP/1 server never listen()s
 * itself; closing drains the requests in flight, up to a deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDualServer, type DualServer, type Handler } from '../../local/dual-protocol';
import { readSettings } from '../../local/platform/settings';
import { startLocalPlatform } from '../../local/server';

const ok: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
};

async function started(handler: Handler, opts = {}): Promise<{ server: DualServer; port: number }> {
  const server = createDualServer(handler, opts);
  await server.listen(0, '127.0.0.1');
  return { server, port: (server.net.address() as AddressInfo).port };
}

/**
 * A client that sends the request line, then one header line every `everyMs` and never ends the
 * headers (bounded: at most 50 lines). Resolves with what the server answered and when the
 * connection closed, ms after connecting; or 'open' if it still was after `giveUpMs`.
 */
function slowHeaders(
  port: number,
  everyMs: number,
  giveUpMs: number,
): Promise<{ closedAfterMs: number; answer: string } | 'open'> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let answer = '';
    let lines = 0;
    socket.write('GET /v1/health HTTP/1.1\r\nHost: localhost\r\n');
    const drip = setInterval(() => {
      if (lines++ < 50 && socket.writable) socket.write(`X-Slow-${lines}: 1\r\n`);
    }, everyMs);
    const giveUp = setTimeout(() => {
      clearInterval(drip);
      socket.destroy();
      resolve('open');
    }, giveUpMs);
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - t0, answer });
    });
  });
}

describe('slow and silent connections (headersTimeout armed)', () => {
  let server: DualServer;
  let port: number;
  beforeAll(async () => {
    ({ server, port } = await started(ok, { headersTimeoutMs: 500, requestTimeoutMs: 1000 }));
  });
  afterAll(() => server.close({ deadlineMs: 100 }));

  test('GIVEN headersTimeout 500 ms WHEN a client sends a header line every 100 ms THEN it gets 408 and the connection is closed within 1.5 s', async () => {
    const out = await slowHeaders(port, 100, 4000);
    expect(out).not.toBe('open');
    if (out === 'open') return;
    expect(out.closedAfterMs).toBeGreaterThanOrEqual(450);
    expect(out.closedAfterMs).toBeLessThan(1500);
    expect(out.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  test('GIVEN headersTimeout 500 ms WHEN a client connects and sends nothing THEN the connection is closed within 1.5 s', async () => {
    const closedAfterMs = await new Promise<number | 'open'>((resolve) => {
      const t0 = Date.now();
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      const giveUp = setTimeout(() => {
        socket.destroy();
        resolve('open');
      }, 4000);
      socket.once('close', () => {
        clearTimeout(giveUp);
        resolve(Date.now() - t0);
      });
    });
    expect(closedAfterMs).not.toBe('open');
    expect(closedAfterMs).toBeLessThan(1500);
  });

  test('GIVEN headersTimeout 500 ms WHEN a prompt request arrives THEN it is still answered', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });
});

describe('close() drains', () => {
  test('GIVEN a request in flight WHEN closing THEN new connections are refused, the request is answered 200 with connection: close, and the stats say so', async () => {
    let release: () => void = () => undefined;
    const { server, port } = await started((_req, res) => {
      release = () => res.end('late but answered');
    });
    const answer = new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        request(`http://127.0.0.1:${port}/slow`, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.once('end', () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
          );
        })
          .once('error', reject)
          .end();
      },
    );
    while (server.activeRequests === 0) await new Promise((r) => setTimeout(r, 5));
    const closing = server.close({ deadlineMs: 5000, graceMs: 50 });
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    release();
    expect(await answer).toEqual({ status: 200, connection: 'close', body: 'late but answered' });
    expect(await closing).toEqual({ inFlight: 1, lateArrivals: 0, cutOff: 0 });
  });

  test('GIVEN a request that never ends WHEN closing THEN it is cut off at the deadline', async () => {
    const { server, port } = await started(() => undefined);
    const failed = new Promise<string>((resolve) => {
      request(`http://127.0.0.1:${port}/never`, () => resolve('answered'))
        .once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
        .end();
    });
    while (server.activeRequests === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    expect(await server.close({ deadlineMs: 300, graceMs: 0 })).toEqual({
      inFlight: 1,
      lateArrivals: 0,
      cutOff: 1,
    });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await failed).toBe('ECONNRESET');
  });
});

test('GIVEN the platform WHEN LOCAL_HEADERS_TIMEOUT_MS / the http option is set THEN it reaches its server', async () => {
  expect(readSettings({}, { LOCAL_HEADERS_TIMEOUT_MS: '500', LOCAL_REQUEST_TIMEOUT_MS: '900' }).http).toEqual(
    {
      headersTimeoutMs: 500,
      requestTimeoutMs: 900,
    },
  );
  expect(() => readSettings({}, { LOCAL_HEADERS_TIMEOUT_MS: 'soon' })).toThrow(
    'LOCAL_HEADERS_TIMEOUT_MS must be a positive whole number, got "soon"',
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'local-slow-'));
  const platform = await startLocalPlatform({
    port: 0,
    quiet: true,
    dataDir,
    sessions: 'memory',
    http: { headersTimeoutMs: 500 },
  });
  try {
    const out = await slowHeaders(platform.port, 100, 4000);
    expect(out).not.toBe('open');
    expect(out !== 'open' && out.closedAfterMs).toBeLessThan(1500);
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

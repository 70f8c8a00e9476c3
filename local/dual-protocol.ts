/**
 * One port, two protocols: HTTP/1.1 (browsers, curl, Artillery, API clients) and cleartext
 * HTTP/2 with prior knowledge (h2c), which the AWS SDK's Lex V2 runtime client can speak
 * (`NodeHttp2Handler`, because of StartConversation). Each connection's first bytes decide:
 * the HTTP/2 connection preface starts with "PRI * HTTP/2.0".
 *
 * Timeouts: connections are handed to the HTTP/1 server with `emit('connection')`, never by its
 * own `listen()`, and Node arms the check of `headersTimeout` / `requestTimeout` (the
 * connectionsCheckingInterval) when the server emits 'listening'; so the server emits it itself.
 * A connection that sends no byte at all is closed after `headersTimeoutMs` too.
 *
 * Closing drains: no new connection is accepted, requests in flight finish (their responses say
 * `connection: close`), idle connections are closed once no request arrived on them within a
 * short grace, and whatever is still open at the deadline is destroyed.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const PREFACE_START = 'PRI ';

export interface DualServerOptions {
  /** The request line and headers must have arrived within this, ms (Node's headersTimeout). @default 60000 */
  readonly headersTimeoutMs?: number;
  /** The whole request must have arrived within this, ms (Node's requestTimeout). @default 300000 */
  readonly requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this, ms. @default 5000 */
  readonly keepAliveTimeoutMs?: number;
}

export interface CloseOptions {
  /** In-flight requests still unanswered after this are cut off, ms. @default 10000 */
  readonly deadlineMs?: number;
  /** An idle connection is closed if no request arrived on it within this, ms. @default 250 */
  readonly graceMs?: number;
}

export interface CloseStats {
  /** Requests being served when closing began. */
  readonly inFlight: number;
  /** Requests that arrived on open connections during the grace, and were served. */
  readonly lateArrivals: number;
  /** Requests still unanswered at the deadline (their connections destroyed). */
  readonly cutOff: number;
}

export interface DualServer {
  readonly net: NetServer;
  listen(port: number, host: string): Promise<void>;
  /** Stops accepting, lets in-flight requests finish (until the deadline), closes every connection. */
  close(opts?: CloseOptions): Promise<CloseStats>;
  /** Requests being served now. */
  readonly activeRequests: number;
}

/** The connections of one server: which speak HTTP/1, their requests in flight, the HTTP/2 sessions. */
interface Connections {
  readonly sockets: Set<Socket>;
  readonly http1Sockets: Set<Socket>;
  readonly inflight: Map<Socket, number>;
  /** Every response not yet closed, both protocols. */
  readonly active: Set<AnyResponse>;
  readonly sessions: Set<ServerHttp2Session>;
  closing: boolean;
  lateArrivals: number;
}

export function createDualServer(handler: Handler, opts: DualServerOptions = {}): DualServer {
  const conns: Connections = {
    sockets: new Set(),
    http1Sockets: new Set(),
    inflight: new Map(),
    active: new Set(),
    sessions: new Set(),
    closing: false,
    lateArrivals: 0,
  };
  const tracked = trackRequests(handler, conns);
  const http1 = createHttp1(tracked, opts);
  // The compatibility API's request/response objects offer what the handler uses of
  // IncomingMessage/ServerResponse (method, url, headers, body iteration, writeHead, end).
  const http2 = createHttp2Server(
    {},
    tracked as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void,
  );
  http2.on('session', (session) => {
    conns.sessions.add(session);
    session.once('close', () => conns.sessions.delete(session));
    if (conns.closing) session.close();
  });
  const firstByteMs = opts.headersTimeoutMs ?? 60_000;
  const net = createNetServer((socket) => dispatch(socket, conns, { http1, http2, firstByteMs }));
  let closing: Promise<CloseStats> | undefined;
  return {
    net,
    listen: (port, host) => listen(net, port, host),
    close: (closeOpts = {}) => (closing ??= close(net, http1, conns, closeOpts)),
    get activeRequests() {
      return conns.active.size;
    },
  };
}

/** The HTTP/1 server, its timeouts armed although it never listens itself. */
function createHttp1(handler: Handler, opts: DualServerOptions): HttpServer {
  const headersTimeout = opts.headersTimeoutMs ?? 60_000;
  const requestTimeout = Math.max(opts.requestTimeoutMs ?? 300_000, headersTimeout);
  const http1 = createHttpServer(
    {
      headersTimeout,
      requestTimeout,
      // how often the two timeouts are checked (Node's default, 30 s, is half the default headersTimeout)
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(headersTimeout / 4))),
    },
    handler,
  );
  http1.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 5000;
  // Node starts the connectionsCheckingInterval on 'listening' (setupConnectionsTracking); this
  // server is fed connections with emit('connection') and never listens, so say it does.
  http1.emit('listening');
  return http1;
}

/** Counts each connection's requests in flight, so closing can wait for them. */
function trackRequests(handler: Handler, conns: Connections): Handler {
  const { http1Sockets, inflight, active } = conns;
  return (req, res) => {
    const socket = req.socket;
    active.add(res);
    const http1 = http1Sockets.has(socket);
    if (http1) {
      inflight.set(socket, (inflight.get(socket) ?? 0) + 1);
      if (conns.closing) {
        conns.lateArrivals += 1;
        res.shouldKeepAlive = false;
      }
    }
    res.once('close', () => {
      active.delete(res);
      if (!http1) return;
      const left = (inflight.get(socket) ?? 1) - 1;
      inflight.set(socket, left);
      if (conns.closing && left === 0) socket.end();
    });
    handler(req, res);
  };
}

/** Hands a new connection to the HTTP/1 or the HTTP/2 server, by its first bytes. */
function dispatch(
  socket: Socket,
  conns: Connections,
  to: { http1: HttpServer; http2: Http2Server; firstByteMs: number },
): void {
  conns.sockets.add(socket);
  // a connection that never sends a byte is never handed over: it gets the headers timeout here
  const silent = setTimeout(() => socket.destroy(), to.firstByteMs);
  socket.once('close', () => {
    clearTimeout(silent);
    conns.sockets.delete(socket);
    conns.http1Sockets.delete(socket);
    conns.inflight.delete(socket);
  });
  socket.on('error', () => socket.destroy());
  socket.once('data', (chunk: Buffer) => {
    clearTimeout(silent);
    socket.pause();
    socket.unshift(chunk);
    const isHttp2 = chunk.subarray(0, PREFACE_START.length).toString('latin1') === PREFACE_START;
    if (!isHttp2) conns.http1Sockets.add(socket);
    (isHttp2 ? to.http2 : to.http1).emit('connection', socket);
    process.nextTick(() => socket.resume());
  });
}

function listen(net: NetServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    net.once('error', reject);
    net.listen(port, host, () => {
      net.off('error', reject);
      resolve();
    });
  });
}

async function close(
  net: NetServer,
  http1: HttpServer,
  conns: Connections,
  opts: CloseOptions,
): Promise<CloseStats> {
  conns.closing = true;
  const inFlight = conns.active.size;
  const closed = new Promise<void>((resolve) => net.close(() => resolve()));
  // responses not started yet close their connection when done
  for (const res of conns.active) {
    if ('shouldKeepAlive' in res && !res.headersSent) res.shouldKeepAlive = false;
  }
  for (const session of conns.sessions) session.close(); // GOAWAY: open streams finish
  // A request may be on its way on an idle connection: close those that stayed idle for the grace.
  const grace = setTimeout(() => closeIdle(conns), opts.graceMs ?? 250);
  let cutOff = 0;
  const deadline = setTimeout(() => {
    cutOff = conns.active.size;
    for (const socket of conns.sockets) socket.destroy();
  }, opts.deadlineMs ?? 10_000);
  await closed;
  clearTimeout(grace);
  clearTimeout(deadline);
  http1.close(() => undefined); // stops its connectionsCheckingInterval
  return { inFlight, lateArrivals: conns.lateArrivals, cutOff };
}

/** Closes every connection with no request in flight (HTTP/2 ones close after their GOAWAY). */
function closeIdle(conns: Connections): void {
  for (const socket of conns.sockets) {
    const dispatched = socket.bytesRead > 0;
    if (dispatched && !conns.http1Sockets.has(socket)) continue;
    if ((conns.inflight.get(socket) ?? 0) === 0) socket.destroy();
  }
}

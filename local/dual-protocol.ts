/**
 * One port, two protocols: HTTP/1.1 (browsers, curl, Artillery, API clients) and cleartext
 * HTTP/2 with prior knowledge (h2c), which the AWS SDK's Lex V2 runtime client speaks
 * (`NodeHttp2Handler`, because of StartConversation). Each connection's first bytes decide:
 * the HTTP/2 connection preface starts with "PRI * HTTP/2.0".
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const PREFACE_START = 'PRI ';

export interface DualServer {
  readonly net: NetServer;
  listen(port: number, host: string): Promise<void>;
  close(): Promise<void>;
}

/** The connections of one server: which speak HTTP/1, their requests in flight, the HTTP/2 sessions. */
interface Connections {
  readonly sockets: Set<Socket>;
  readonly http1Sockets: Set<Socket>;
  readonly inflight: Map<Socket, number>;
  readonly sessions: Set<ServerHttp2Session>;
  closing: boolean;
}

export function createDualServer(handler: Handler): DualServer {
  const conns: Connections = {
    sockets: new Set(),
    http1Sockets: new Set(),
    inflight: new Map(),
    sessions: new Set(),
    closing: false,
  };
  const tracked = trackRequests(handler, conns);
  const http1 = createHttpServer(tracked);
  http1.keepAliveTimeout = 5000;
  // The compatibility API's request/response objects offer what the handler uses of
  // IncomingMessage/ServerResponse (method, url, headers, body iteration, writeHead, end).
  const http2 = createHttp2Server(
    {},
    tracked as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void,
  );
  http2.on('session', (session) => {
    conns.sessions.add(session);
    session.once('close', () => conns.sessions.delete(session));
  });
  const net = createNetServer((socket) => dispatch(socket, conns, http1, http2));
  return {
    net,
    listen: (port, host) => listen(net, port, host),
    close: () => close(net, conns),
  };
}

/** Counts each HTTP/1 connection's requests in flight, so closing can wait for them. */
function trackRequests(handler: Handler, conns: Connections): Handler {
  const { http1Sockets, inflight } = conns;
  return (req, res) => {
    const socket = req.socket;
    if (http1Sockets.has(socket)) {
      inflight.set(socket, (inflight.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const left = (inflight.get(socket) ?? 1) - 1;
        inflight.set(socket, left);
        if (conns.closing && left === 0) socket.destroy();
      });
    }
    handler(req, res);
  };
}

/** Hands a new connection to the HTTP/1 or the HTTP/2 server, by its first bytes. */
function dispatch(
  socket: Socket,
  conns: Connections,
  http1: ReturnType<typeof createHttpServer>,
  http2: ReturnType<typeof createHttp2Server>,
): void {
  conns.sockets.add(socket);
  socket.once('close', () => {
    conns.sockets.delete(socket);
    conns.http1Sockets.delete(socket);
    conns.inflight.delete(socket);
  });
  socket.on('error', () => socket.destroy());
  socket.once('data', (chunk: Buffer) => {
    socket.pause();
    socket.unshift(chunk);
    const isHttp2 = chunk.subarray(0, PREFACE_START.length).toString('latin1') === PREFACE_START;
    if (!isHttp2) conns.http1Sockets.add(socket);
    (isHttp2 ? http2 : http1).emit('connection', socket);
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

async function close(net: NetServer, conns: Connections): Promise<void> {
  conns.closing = true;
  const closed = new Promise<void>((resolve) => net.close(() => resolve()));
  // idle connections end now; busy HTTP/1 ones after their response, HTTP/2 after GOAWAY
  for (const socket of conns.sockets) {
    if (!conns.http1Sockets.has(socket) && socket.bytesRead > 0) continue;
    if ((conns.inflight.get(socket) ?? 0) === 0) socket.destroy();
  }
  for (const session of conns.sessions) session.close();
  const timer = setTimeout(() => {
    for (const socket of conns.sockets) socket.destroy();
  }, 2000);
  await closed;
  clearTimeout(timer);
}

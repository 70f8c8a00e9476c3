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

export function createDualServer(handler: Handler): DualServer {
  const http1Sockets = new Set<Socket>();
  const inflight = new Map<Socket, number>();
  let closing = false;
  const tracked: Handler = (req, res) => {
    const socket = req.socket;
    if (http1Sockets.has(socket)) {
      inflight.set(socket, (inflight.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const left = (inflight.get(socket) ?? 1) - 1;
        inflight.set(socket, left);
        if (closing && left === 0) socket.destroy();
      });
    }
    handler(req, res);
  };
  const http1 = createHttpServer(tracked);
  http1.keepAliveTimeout = 5000;
  // The compatibility API's request/response objects offer what the handler uses of
  // IncomingMessage/ServerResponse (method, url, headers, body iteration, writeHead, end).
  const http2 = createHttp2Server(
    {},
    tracked as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void,
  );
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  http2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  const net = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      http1Sockets.delete(socket);
      inflight.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      const isHttp2 = chunk.subarray(0, PREFACE_START.length).toString('latin1') === PREFACE_START;
      if (!isHttp2) http1Sockets.add(socket);
      (isHttp2 ? http2 : http1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });

  return {
    net,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        net.once('error', reject);
        net.listen(port, host, () => {
          net.off('error', reject);
          resolve();
        });
      });
    },
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => net.close(() => resolve()));
      // idle connections end now; busy HTTP/1 ones after their response, HTTP/2 after GOAWAY
      for (const socket of sockets) {
        if (!http1Sockets.has(socket) && socket.bytesRead > 0) continue;
        if ((inflight.get(socket) ?? 0) === 0) socket.destroy();
      }
      for (const session of sessions) session.close();
      const timer = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, 2000);
      await closed;
      clearTimeout(timer);
    },
  };
}

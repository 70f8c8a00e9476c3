/**
 * The HTTP handler every AWS SDK client of the handlers is given: HTTP/1.1 with keep-alive
 * (NodeHttpHandler's default agent) and, where a per-call budget applies, connect and request
 * timeouts.
 *
 * Kinesis, the Lex runtime and Polly default to HTTP/2, which their streaming operations
 * (SubscribeToShard, StartConversation, StartSpeechSynthesisStream) need; the platform calls none
 * of them. A Lambda sends one request per client per turn, so HTTP/2 multiplexing gains nothing,
 * and loading `node:http2` would cost init time (bundling/shims/node-http2.ts).
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface HttpTimeouts {
  /** Give up on a TCP/TLS connection after this long, ms. */
  readonly connectionTimeoutMs: number;
  /** Give up on a response that has not finished arriving after this long, ms. */
  readonly requestTimeoutMs: number;
}

export function httpHandler(timeouts?: HttpTimeouts): NodeHttpHandler {
  return new NodeHttpHandler(
    timeouts
      ? { connectionTimeout: timeouts.connectionTimeoutMs, requestTimeout: timeouts.requestTimeoutMs }
      : {},
  );
}

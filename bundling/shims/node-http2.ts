/**
 * Bundle-time stand-in for `node:http2` in the Lambda bundles (esbuild `alias`, see
 * bundling/index.ts): the real module, loaded on first use instead of at module init.
 *
 * Every AWS SDK v3 client bundles @smithy/node-http-handler, whose HTTP/2 handler imports
 * `node:http2` at module load, and loading that built-in took about 1.9 ms of the fulfillment
 * Lambda's init (`npm run bench`, coldStart, Node 20). The handlers give every client an HTTP/1.1
 * handler (src/adapters/http.ts), so a bundle never loads it; a client left on its HTTP/2 default
 * still works, and loads the module with its first connection.
 *
 * It covers how the bundled code uses the module: the default import, reading `connect` and
 * `constants` (node-http2-handler reads `constants` at module load, so that is a view that loads
 * on its first property read). test/bundling/bundling.test.ts checks that nothing in a bundle uses
 * it otherwise, that the bundles load without `node:http2`, and that an HTTP/2 request made
 * through the stand-in reaches a server.
 */
import type * as Http2 from 'node:http2';

type Http2Module = typeof Http2;

let real: Http2Module | undefined;
/**
 * `process.getBuiltinModule` (Node >= 20.16), not an import: the alias would turn this file's own
 * import of `node:http2` into itself.
 */
const load = (): Http2Module => (real ??= process.getBuiltinModule('node:http2'));

/** A view of `target()` that calls it (loading the module) on its first use, not before. */
function lazy<T extends object>(target: () => T, own: Partial<Record<PropertyKey, unknown>> = {}): T {
  return new Proxy(own as T, {
    get: (_, key) => (key in own ? own[key] : Reflect.get(target(), key)),
    has: (_, key) => key in own || Reflect.has(target(), key),
  });
}

export const constants: Http2Module['constants'] = lazy(() => load().constants);

export const connect: Http2Module['connect'] = ((...args: Parameters<Http2Module['connect']>) =>
  load().connect(...args)) as Http2Module['connect'];

const http2: Http2Module = lazy(load, { constants, connect });

export default http2;

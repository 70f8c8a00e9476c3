/**
 * Bundle-time stand-in for `assert` (`node:assert`) in the Lambda bundles (esbuild `alias`, see
 * bundling/index.ts): `assert(value)` and `assert.ok(value)` that pass without loading the
 * module, and the real module, loaded on first use, for everything else and for a failing check.
 *
 * cls-hooked, under the Powertools Tracer (aws-xray-sdk-core), requires `assert` at module load
 * for its `assert.ok` checks, and loading that built-in (with its diff, colour and call-tracker
 * internals) was about 2.5 % of the fulfillment Lambda's init (valgrind instruction counts,
 * Node 24, `--predictable`; the one-DynamoDB-client baseline does not load it). The checks pass
 * in normal operation, so the module is never loaded; a failing one throws the real module's
 * AssertionError (called with the same arguments). ioredis's redis-errors (the `sessions` chunk)
 * calls `assert(buffer)` and `assert.strictEqual` when it builds a parser error: the first is the
 * same check, the second loads the module. test/bundling/shims/node-assert.test.ts checks this
 * behaves as `node:assert`; test/bundling/bundling.test.ts that no bundle loads it at init.
 */
type AssertModule = typeof import('node:assert');

let real: AssertModule | undefined;
/**
 * `process.getBuiltinModule` (Node >= 20.16), not an import: the alias would turn this file's own
 * import of `node:assert` into itself.
 */
const load = (): AssertModule => (real ??= process.getBuiltinModule('node:assert'));

/** `assert.ok` / `assert()`: a truthy first argument passes; otherwise the real one, same arguments. */
const ok = (...args: Parameters<AssertModule['ok']>): void => {
  if (args[0]) return;
  const check: (...checked: Parameters<AssertModule['ok']>) => void = load().ok;
  check(...args);
};

/** Callable as `ok`; any other property is the real module's (loaded on that first read). */
const assert = new Proxy(ok, {
  get: (_, key) => (key === 'ok' ? ok : Reflect.get(load(), key)),
  has: (_, key) => key === 'ok' || Reflect.has(load(), key),
}) as unknown as AssertModule;

export = assert;

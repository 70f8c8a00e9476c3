/**
 * The bundles' stand-in for `assert` (bundling/shims/node-assert.ts) must behave as `node:assert`
 * for what the bundled packages call: cls-hooked's `assert.ok(value, message)`, redis-errors'
 * `assert(value)` and `assert.strictEqual`. (That it keeps the module unloaded at init is
 * checked on the real bundles in test/bundling/bundling.test.ts.)
 */
import real from 'node:assert';
import standIn from '../../../bundling/shims/node-assert';

/** What `fn` throws, as the fields a caller sees. */
function thrown(fn: () => void): { name: string; message: string; code: unknown; isAssertionError: boolean } {
  try {
    fn();
  } catch (err) {
    const e = err as Error & { code?: unknown };
    return {
      name: e.name,
      message: e.message,
      code: e.code,
      isAssertionError: e instanceof real.AssertionError,
    };
  }
  throw new Error('expected a throw');
}

describe('assert stand-in', () => {
  test.each([1, 'x', {}, [], true])(
    'GIVEN the truthy %p WHEN checked with ok and as a call THEN it passes',
    (value) => {
      expect(() => standIn.ok(value, 'must hold')).not.toThrow();
      expect(() => standIn(value)).not.toThrow();
    },
  );

  test.each([0, '', null, undefined, false, Number.NaN])(
    'GIVEN the falsy %p WHEN checked with a message THEN the AssertionError node:assert throws',
    (value) => {
      expect(thrown(() => standIn.ok(value, 'context must be provided'))).toEqual(
        thrown(() => real.ok(value, 'context must be provided')),
      );
      expect(thrown(() => standIn(value, 'context must be provided'))).toEqual(
        thrown(() => real(value, 'context must be provided')),
      );
      expect(thrown(() => standIn.ok(value, 'x')).isAssertionError).toBe(true);
    },
  );

  test('GIVEN an Error as the message WHEN the check fails THEN that error is thrown, as node:assert does', () => {
    const error = new TypeError('bad buffer');
    expect(() => standIn.ok(false, error)).toThrow(error);
  });

  test('GIVEN no argument WHEN ok is called THEN node:assert’s own error for that', () => {
    expect(thrown(() => (standIn.ok as () => void)())).toEqual(thrown(() => (real.ok as () => void)()));
  });

  test('GIVEN any other function WHEN used THEN it is node:assert’s', () => {
    expect(standIn.strictEqual).toBe(real.strictEqual);
    expect(standIn.AssertionError).toBe(real.AssertionError);
    expect(() => standIn.strictEqual(typeof 1, 'number')).not.toThrow();
    expect(thrown(() => standIn.strictEqual(typeof '1', 'number'))).toEqual(
      thrown(() => real.strictEqual(typeof '1', 'number')),
    );
    expect('deepStrictEqual' in standIn && 'ok' in standIn).toBe(true);
  });
});

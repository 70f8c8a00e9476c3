/**
 * The bundles' stand-in for semver (bundling/shims/semver.ts) must order versions exactly
 * as semver does, since aws-xray-sdk-core calls it where it would call semver.gte.
 */
import fc from 'fast-check';
import { gte } from '../../../bundling/shims/semver';

// semver is not a dependency of ours: it comes with aws-xray-sdk-core (under the Tracer).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require('semver') as { gte(a: string, b: string): boolean };

const numeric = fc.oneof(fc.constantFrom(0, 1, 2, 9, 10), fc.nat({ max: 1000 }));
const identifier = fc.oneof(
  numeric.map(String),
  fc.constantFrom('alpha', 'beta', 'rc', 'x-1', '0a', 'a0', 'Z'),
);
const version = fc
  .record({
    core: fc.tuple(numeric, numeric, numeric),
    pre: fc.array(identifier, { maxLength: 3 }),
    build: fc.option(fc.constantFrom('build.1', 'sha-abc'), { nil: undefined }),
  })
  .map(
    ({ core, pre, build }) =>
      `${core.join('.')}${pre.length ? `-${pre.join('.')}` : ''}${build ? `+${build}` : ''}`,
  );

describe('semver stand-in gte', () => {
  test('GIVEN any two versions WHEN compared THEN the answer is semver.gte’s', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(gte(a, b)).toBe(semver.gte(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  test.each([
    ['2.1.0', '2.0.0', true],
    ['2.0.0', '2.0.0', true],
    ['1.9.9', '2.0.0', false],
    ['2.0.0-rc.1', '2.0.0', false],
    ['2.0.0-rc.10', '2.0.0-rc.9', true],
    ['2.0.0-alpha', '2.0.0-1', true],
    ['v2.1.3', '2.1.3', true],
  ])('GIVEN %s and %s WHEN compared THEN gte is %s', (a, b, expected) => {
    expect(gte(a, b)).toBe(expected);
  });

  test('GIVEN an invalid version WHEN compared THEN TypeError, as semver throws', () => {
    expect(() => gte('not-a-version', '1.0.0')).toThrow(TypeError);
    expect(() => semver.gte('not-a-version', '1.0.0')).toThrow(TypeError);
    expect(() => gte('1.0', '1.0.0')).toThrow(TypeError);
  });
});

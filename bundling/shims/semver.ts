/**
 * Bundle-time stand-in for the `semver` package in the Lambda bundles (esbuild `alias`, see
 * bundling/index.ts). aws-xray-sdk-core, under the Powertools Tracer, loads all of semver
 * at module init for a single `semver.gte` in its AWS SDK v2 patcher: some 50 modules and their
 * regular expressions, about a quarter of the Tracer's init cost (`npm run bench`, coldStart). That
 * patcher never runs here (SDK v3 clients are captured with `captureAWSv3Client`), but it is
 * imported, so the bundle gets this `gte` instead. test/bundling/bundling.test.ts checks it orders
 * versions exactly as semver does, and that no other semver function is imported by a bundle.
 */

const VERSION =
  /^\s*v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$/;

interface Parsed {
  readonly core: readonly [number, number, number];
  readonly pre: readonly string[];
}

function parse(version: string): Parsed {
  const m = typeof version === 'string' ? VERSION.exec(version) : null;
  if (!m) throw new TypeError(`Invalid Version: ${String(version)}`);
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

const NUMERIC = /^\d+$/;

/** Precedence of two pre-release identifiers (SemVer 2.0.0, rule 11.4). */
function compareIdentifier(a: string, b: string): number {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) return Math.sign(Number(a) - Number(b));
  if (an !== bn) return an ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function compare(a: Parsed, b: Parsed): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return Math.sign(a.core[i] - b.core[i]);
  // a pre-release sorts before its release
  if (a.pre.length === 0 || b.pre.length === 0) return Math.sign(b.pre.length - a.pre.length);
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    if (a.pre[i] === undefined) return -1;
    if (b.pre[i] === undefined) return 1;
    const c = compareIdentifier(a.pre[i], b.pre[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/** `a >= b` in SemVer precedence; throws `TypeError` on an invalid version, as semver does. */
export function gte(a: string, b: string): boolean {
  return compare(parse(a), parse(b)) >= 0;
}

/**
 * How every Lambda handler is bundled, in one place: PlatformFunction (NodejsFunction, local
 * esbuild, no Docker) and `npm run bench` (esbuild's API) build exactly these bundles.
 *
 * Bundle, minify, Node 22 syntax, CommonJS, the AWS SDK v3 bundled rather than taken from the
 * runtime (versions pinned by package-lock.json). Code only some turns need is built as separate
 * chunks next to `index.js` (src/chunks) and loaded on first use.
 *
 * No source maps: with `--enable-source-maps` Node reads and parses the map while loading the
 * bundle, which added 22-23 ms (a third) to the fulfillment Lambda's module init and 8-12 ms to
 * the one-DynamoDB-client baseline (Node 20, medians of 31 fresh processes, two runs), and a map
 * nobody loads only quintuples the package. Stack traces carry minified names; docs/handlers.md
 * says how to map one back to source.
 */
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

const shim = (name: string): string => join(__dirname, 'shims', `${name}.ts`);

/**
 * Modules replaced by a stand-in in every bundle (esbuild `alias`; each shim says why): `semver`,
 * which aws-xray-sdk-core loads whole for one `gte`; `node:http2`, which every SDK client's
 * HTTP handler package loads at init and which the stand-in loads on first use instead; and
 * `assert`, which cls-hooked (under the Tracer) loads at init for checks that pass, and which the
 * stand-in loads only when one fails or another function is used.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  semver: shim('semver'),
  'node:http2': shim('node-http2'),
  http2: shim('node-http2'),
  'node:assert': shim('node-assert'),
  assert: shim('node-assert'),
};

export const ESBUILD_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: false,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  /** Nothing external: @aws-sdk/* is bundled (pinned versions). */
  external: [] as string[],
  /** Prefer the ES module builds of dependencies (smaller after tree shaking). */
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  alias: BUNDLE_ALIASES,
} as const;

/** Handler entry points (relative to the repository root) and the chunks each one loads. */
export const HANDLERS = {
  fulfillment: {
    entry: 'src/handlers/fulfillment.ts',
    chunks: ['sessions', 'comprehend', 'translate', 'speech', 'knowledge', 'tickets'],
  },
  channel: { entry: 'src/handlers/channel.ts', chunks: ['sessions'] },
  knowledgeSync: { entry: 'src/handlers/knowledge-sync.ts', chunks: [] },
  /** The support desk's ticket API (POST/GET/PATCH /v1/tickets on the channel API). */
  'tickets-api': { entry: 'src/handlers/tickets-api.ts', chunks: [] },
  /** The ticket worker: ticket requests from the queue -> tickets table + TicketCreated. */
  'ticket-worker': { entry: 'src/handlers/ticket-worker.ts', chunks: [] },
} as const satisfies Record<string, { entry: string; chunks: readonly string[] }>;

export type HandlerName = keyof typeof HANDLERS;

/** Source of a chunk (src/chunks/<name>.ts), relative to the repository root. */
export const chunkEntry = (name: string): string => `src/chunks/${name}.ts`;

export const absolute = (path: string): string => join(ROOT, path);

/** The esbuild command line that builds one chunk into `outfile` with ESBUILD_OPTIONS. */
export function chunkBuildCommand(entry: string, outfile: string): string {
  const esbuild = require.resolve('esbuild/bin/esbuild');
  const args = [
    JSON.stringify(entry),
    '--bundle',
    '--minify',
    `--platform=${ESBUILD_OPTIONS.platform}`,
    `--target=${ESBUILD_OPTIONS.target}`,
    `--format=${ESBUILD_OPTIONS.format}`,
    `--main-fields=${ESBUILD_OPTIONS.mainFields.join(',')}`,
    `--log-level=${ESBUILD_OPTIONS.logLevel}`,
    ...Object.entries(ESBUILD_OPTIONS.alias).map(([from, to]) => `--alias:${from}=${JSON.stringify(to)}`),
    `--outfile=${JSON.stringify(outfile)}`,
  ];
  return [JSON.stringify(process.execPath), JSON.stringify(esbuild), ...args].join(' ');
}

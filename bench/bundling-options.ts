/**
 * The esbuild options every Lambda handler is bundled with: the cold-start bench measures
 * these bundles, and the bot stack's NodejsFunction is aligned with them (bundle, minify,
 * source maps, Node 22 target, CommonJS, the AWS SDK v3 bundled rather than taken from the
 * runtime so its version is pinned).
 */
import type { BuildOptions } from 'esbuild';

export const HANDLER_ENTRIES = {
  fulfillment: 'src/handlers/fulfillment.ts',
  channel: 'src/handlers/channel.ts',
} as const;

export const LAMBDA_BUNDLING_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  /** Nothing external: @aws-sdk/* is bundled (pinned versions). */
  external: [],
  /** Prefer the CommonJS/main builds of dependencies (what Node itself would load). */
  mainFields: ['module', 'main'],
  logLevel: 'silent',
} as const satisfies BuildOptions;

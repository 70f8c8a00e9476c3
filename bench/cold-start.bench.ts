/**
 * Cold start: bundle each handler (and its lazily loaded chunks) with the Lambda bundling options
 * (bundling/index.ts, the ones PlatformFunction uses), report the minified bundle sizes,
 * and measure module init (require of the bundle) in fresh node processes for the fulfillment
 * bundle and for a baseline bundle holding one DynamoDB client, interleaved in the same run so
 * machine noise hits both. The processes run the functions' Node.js major (bench/lambda-node.ts).
 * Budget: fulfillment / baseline <= 1.5.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { absolute, chunkEntry, ESBUILD_OPTIONS, HANDLERS } from '../bundling/index';
import { LAMBDA_RUNTIME } from '../lib/constructs/platform-function';
import { benchNode } from './lambda-node';
import type { BenchNode } from './lambda-node';

const BUILD_OPTIONS = {
  ...ESBUILD_OPTIONS,
  external: [...ESBUILD_OPTIONS.external],
  mainFields: [...ESBUILD_OPTIONS.mainFields],
};
/** 61 interleaved runs: on a shared 2-core VM the median of 21 still moved by ±0.06 of ratio. */
const RUNS = Number(process.env.COLD_START_RUNS ?? 61);
export const COLD_START_RATIO_BUDGET = 1.5;

/**
 * What Lambda would set: runtime, region, function name, and the handler's own variables. No
 * NODE_OPTIONS, as on the functions (test/lib/stacks/bot-stack.test.ts checks they set none).
 */
const CHILD_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  /** Lambda sets it; Powertools Tracer only traces (and patches) when it is there. */
  AWS_EXECUTION_ENV: `AWS_Lambda_${LAMBDA_RUNTIME.name}`,
  /** Lambda sets it; aws-xray-sdk-core sets up its Lambda context at load when it is there. */
  LAMBDA_TASK_ROOT: '/var/task',
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'cold-start-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  CONVERSATION_TABLE_NAME: 'conversations',
  CONVERSATION_TTL_DAYS: '30',
  REDIS_HOST: 'redis.internal',
  REDIS_PORT: '6379',
  REDIS_TLS: 'true',
  REDIS_AUTH_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:redis-auth',
  SESSION_TTL_SECONDS: '1800',
  EVENT_STREAM_NAME: 'events',
  AUDIO_BUCKET_NAME: 'audio',
  BOT_LOCALES: 'en_US,es_US',
  LEX_BOT_ID: 'BOTID12345',
  LEX_BOT_ALIAS_ID: 'ALIAS12345',
  POWERTOOLS_METRICS_NAMESPACE: 'ConversationalPlatform',
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Module init of a bundle in a fresh `node` process, ms (require only; no invocation). */
function initMs(node: string, bundle: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(
    execFileSync(node, ['-e', script], {
      env: CHILD_ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
}

interface Bundles {
  /** Bundle path per handler, plus the baseline `oneDynamoDbClient`. */
  bundles: Record<string, string>;
  bundleBytes: Record<string, number>;
  chunkBytes: Record<string, Record<string, number>>;
}

/** Bundles `entry` to `outfile` with the Lambda bundling options; returns the bundle's size in bytes. */
async function bundle(entry: string, outfile: string): Promise<number> {
  await build({ ...BUILD_OPTIONS, entryPoints: [entry], outfile });
  return statSync(outfile).size;
}

/** Bundles every handler and its lazily loaded chunks, then the one-DynamoDB-client baseline, into `out`. */
async function bundleAll(out: string): Promise<Bundles> {
  const bundles: Record<string, string> = {};
  const bundleBytes: Record<string, number> = {};
  const chunkBytes: Record<string, Record<string, number>> = {};
  for (const [name, { entry, chunks }] of Object.entries(HANDLERS)) {
    const outfile = join(out, name, 'index.js');
    bundleBytes[name] = await bundle(absolute(entry), outfile);
    bundles[name] = outfile;
    chunkBytes[name] = {};
    for (const chunk of chunks) {
      chunkBytes[name][chunk] = await bundle(absolute(chunkEntry(chunk)), join(out, name, `${chunk}.js`));
    }
  }
  bundles.oneDynamoDbClient = join(out, 'oneDynamoDbClient', 'index.js');
  bundleBytes.oneDynamoDbClient = await bundle(
    join(__dirname, 'fixtures', 'one-dynamodb-client.ts'),
    bundles.oneDynamoDbClient,
  );
  return { bundles, bundleBytes, chunkBytes };
}

type Measured = 'fulfillment' | 'baseline' | 'channel';

/**
 * Init times (ms) of the fulfillment, baseline and channel bundles over RUNS runs. Warms the file
 * cache, then interleaves so all bundles see the same machine state, rotating which goes first so
 * no bundle always follows the same one.
 */
function measureInit(node: BenchNode, bundles: Record<string, string>): Record<Measured, number[]> {
  const measured: Record<Measured, string> = {
    fulfillment: bundles.fulfillment,
    baseline: bundles.oneDynamoDbClient,
    channel: bundles.channel,
  };
  const times: Record<Measured, number[]> = { fulfillment: [], baseline: [], channel: [] };
  const order = Object.keys(measured) as Measured[];
  for (const key of order) initMs(node.execPath, measured[key]);
  for (let i = 0; i < RUNS; i += 1) {
    for (let j = 0; j < order.length; j += 1) {
      const key = order[(i + j) % order.length];
      times[key].push(initMs(node.execPath, measured[key]));
    }
    if ((i + 1) % 20 === 0)
      process.stderr.write(`cold-start: ${i + 1}/${RUNS} runs on Node ${node.version}\n`);
  }
  return times;
}

/** The bench result: bundle sizes, median init times and the fulfillment / baseline ratio against budget. */
function report(
  node: BenchNode,
  { bundleBytes, chunkBytes }: Bundles,
  { fulfillment, baseline, channel }: Record<Measured, number[]>,
): Record<string, unknown> {
  const fulfillmentInitMs = median(fulfillment);
  const baselineInitMs = median(baseline);
  const ratio = fulfillmentInitMs / baselineInitMs;
  return {
    bundleBytes,
    /** Loaded on first use, not at init: sessions (first turn); comprehend, translate, speech (some turns). */
    chunkBytes,
    /** The Node.js the init times were measured with, and the functions' runtime. */
    node: {
      version: node.version,
      lambdaRuntime: node.lambdaRuntime,
      matchesLambdaRuntime: node.matchesLambdaRuntime,
    },
    runs: RUNS,
    fulfillmentInitMsMedian: Number(fulfillmentInitMs.toFixed(2)),
    oneDynamoDbClientInitMsMedian: Number(baselineInitMs.toFixed(2)),
    channelInitMsMedian: Number(median(channel).toFixed(2)),
    initRatio: Number(ratio.toFixed(3)),
    ratioBudget: COLD_START_RATIO_BUDGET,
    withinBudget: ratio <= COLD_START_RATIO_BUDGET,
    bundling: BUILD_OPTIONS,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const node = benchNode();
  const out = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    const built = await bundleAll(out);
    const times = measureInit(node, built.bundles);
    return report(node, built, times);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

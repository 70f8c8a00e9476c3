/**
 * npm run loadtest:local -- --profile <smoke|capacity|soak> [other `npm run loadtest` options]
 *
 * Starts the local platform (local/server.ts) in this process on a free port with its own data
 * directory, runs the profile against it (env `local` thresholds), stops it, and exits with the
 * load test's code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startLocalPlatform } from '../local/server';
import { deleteKeysWithPrefix } from '../local/stores/redis';
import { parseArgs, runLoadTest, USAGE, UsageError } from './run';

export async function runLocal(argv: readonly string[]): Promise<number> {
  if (argv.includes('--target')) {
    console.error('loadtest:local starts its own target: drop --target (or use npm run loadtest)');
    return 2;
  }
  // validate the arguments before starting anything
  try {
    parseArgs(['--target', 'http://127.0.0.1:1', ...argv], { env: 'local' });
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(
        `loadtest:local: ${err.message}\n${USAGE.replace('loadtest -- --target <http(s) url> ', 'loadtest:local -- ')}`,
      );
      return 2;
    }
    throw err;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'loadtest-local-'));
  const keyPrefix = `loadtest:${process.pid}:`;
  const platform = await startLocalPlatform({ port: 0, quiet: true, dataDir, redisKeyPrefix: keyPrefix });
  console.log(`Local platform up at ${platform.url} (sessions: ${platform.sessions.kind}, data ${dataDir})`);
  try {
    const opts = parseArgs(['--target', platform.url, ...argv], { env: 'local' });
    const result = await runLoadTest(opts);
    return result.exitCode;
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (platform.sessions.kind !== 'memory' && platform.sessions.url)
      await deleteKeys(platform.sessions.url, keyPrefix).catch(() => undefined);
  }
}

/** Removes this run's session keys from the Redis it shared (they would expire anyway). */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

if (require.main === module) {
  runLocal(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(`loadtest:local: ${(err as Error).message}`);
      process.exit(1);
    });
}

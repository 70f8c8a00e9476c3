/**
 * npm run loadtest:local -- --profile <smoke|capacity|soak> [--port <n>] [other `npm run loadtest` options]
 *
 * Starts the local platform (local/server.ts) in this process on a free port (or `--port`) with
 * its own data directory, runs the profile against it (env `local` thresholds), stops it, and
 * exits with the load test's code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startLocalPlatform, type LocalPlatform } from '../local/server';
import { deleteKeysWithPrefix } from '../local/stores/redis';
import { parseArgs, runLoadTest, USAGE, UsageError, type LoadTestOptions, type LoadTestResult } from './run';

const LOCAL_USAGE = USAGE.replace('loadtest -- --target <http(s) url> ', 'loadtest:local -- ').replace(
  '--profile <smoke|capacity|soak> ',
  '--profile <smoke|capacity|soak> [--port <n>] ',
);

/** Takes `--port <n>` / `--port=<n>` out of the arguments: the local platform's port (0 = any free one). */
export function takePort(argv: readonly string[]): { port: number; rest: string[] } {
  const rest: string[] = [];
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg !== '--port' && !arg.startsWith('--port=')) {
      rest.push(arg);
      continue;
    }
    const raw = arg.startsWith('--port=') ? arg.slice('--port='.length) : argv[++i];
    port = Number(raw);
    if (raw === undefined || raw === '' || !Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a port number (0-65535), got "${raw ?? ''}"`);
  }
  return { port, rest };
}

export async function runLocal(
  argv: readonly string[],
  run: (opts: LoadTestOptions) => Promise<Pick<LoadTestResult, 'exitCode'>> = runLoadTest,
): Promise<number> {
  if (argv.includes('--target')) {
    console.error('loadtest:local starts its own target: drop --target (or use npm run loadtest)');
    return 2;
  }
  // validate the arguments before starting anything
  let port: number;
  let rest: string[];
  try {
    ({ port, rest } = takePort(argv));
    parseArgs(['--target', 'http://127.0.0.1:1', ...rest], { env: 'local' });
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`loadtest:local: ${err.message}\n${LOCAL_USAGE}`);
      return 2;
    }
    throw err;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'loadtest-local-'));
  const keyPrefix = `loadtest:${process.pid}:`;
  let platform: LocalPlatform;
  try {
    platform = await startLocalPlatform({ port, quiet: true, dataDir, redisKeyPrefix: keyPrefix });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
    const why = code === 'EADDRINUSE' ? 'is already in use' : 'is not allowed for this user';
    console.error(
      `loadtest:local: port ${port} ${why} (${code}): pick another one with --port ${port + 1}, or drop --port for any free port`,
    );
    return 1;
  }
  console.log(`Local platform up at ${platform.url} (sessions: ${platform.sessions.kind}, data ${dataDir})`);
  try {
    const opts = parseArgs(['--target', platform.url, ...rest], { env: 'local' });
    const result = await run(opts);
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

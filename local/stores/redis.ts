/**
 * Where the local platform keeps sessions, in order of preference:
 * 1. the Redis at `REDIS_URL` (default redis://127.0.0.1:6379) if it answers PING;
 * 2. a child `redis-server` on a free port (no persistence) if the binary is on the PATH;
 * 3. nothing: the caller falls back to an in-memory SessionStore (and says so).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import Redis from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export type RedisResolution =
  | { readonly kind: 'external'; readonly url: string }
  | { readonly kind: 'child'; readonly url: string; readonly pid: number; stop(): Promise<void> }
  | { readonly kind: 'none'; readonly reason: string };

/** PINGs a Redis URL with short timeouts; true if it answered PONG. */
export async function pingRedis(url: string, timeoutMs = 700): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    // ioredis keeps a 2 s timer after disconnect() of a socket that never connected: don't hold
    // the process (start-up, tests) for it
    disconnectTimeout: 50,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Absolute path of an executable on the PATH, or undefined. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `redis-server` without persistence on a free loopback port and waits for PONG. */
export async function startChildRedis(
  binary: string,
  workDir: string,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 5000;
  while (!(await pingRedis(url, 300))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid ?? -1,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await gone;
      clearTimeout(timer);
    },
  };
}

export async function resolveRedis(opts: {
  url?: string;
  /** Skip the external Redis (tests of the fallbacks). */
  skipExternal?: boolean;
  /** Override the redis-server lookup (tests); null = pretend it is not installed. */
  redisServerBinary?: string | null;
  workDir: string;
}): Promise<RedisResolution> {
  const url = opts.url ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  if (!opts.skipExternal && (await pingRedis(url))) return { kind: 'external', url };
  const binary =
    opts.redisServerBinary === undefined ? findExecutable('redis-server') : opts.redisServerBinary;
  if (!binary) return { kind: 'none', reason: `no Redis at ${redact(url)} and no redis-server on the PATH` };
  try {
    const child = await startChildRedis(binary, opts.workDir);
    return { kind: 'child', ...child };
  } catch (err) {
    return { kind: 'none', reason: `no Redis at ${redact(url)}; ${(err as Error).message}` };
  }
}

/** A Redis URL without its password, for logs. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

/** Deletes every key under a prefix (SCAN, never KEYS): test and load-test clean-up. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  if (!prefix) throw new Error('prefix must not be empty');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

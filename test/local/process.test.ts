/**
 * `npm start` as a user runs it (tsx local/server.ts in its own process): it prints one line per
 * substitution and the start-up time, serves page + API, and on SIGTERM / SIGINT flushes the
 * pending events, stops the child redis-server it started and exits 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../../local/stores/redis';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  url: string;
  readyMs: number;
  printedMs: number;
}

async function startPlatform(env: NodeJS.ProcessEnv): Promise<Started> {
  const started = Date.now();
  const child = spawn(TSX, ['local/server.ts'], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      const m = /Ready in (\d+) ms: open (http:\/\/[^/\s]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`exited ${code} before ready:\n${out}`)));
  });
  return {
    child,
    output: () => out,
    url: ready[2]!,
    printedMs: Number(ready[1]),
    readyMs: Date.now() - started,
  };
}

/** Resolves with the exit code once the process has exited and its pipes are closed. */
const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((resolve) => child.once('close', (code) => resolve(code)));

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start with no Redis at REDIS_URL (a child redis-server is started)', () => {
  let dataDir: string;
  let platform: Started;

  beforeAll(async () => {
    // .ci/run installs redis-server; without it the platform would fall back to memory.
    if (!findExecutable('redis-server')) throw new Error('redis-server is not on the PATH');
    dataDir = mkdtempSync(join(tmpdir(), 'local-process-'));
    platform = await startPlatform({
      PORT: '0',
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      LOCAL_DATA_DIR: dataDir,
    });
  }, 40_000);

  afterAll(async () => {
    if (platform && platform.child.exitCode === null) {
      const gone = exited(platform.child);
      platform.child.kill('SIGKILL');
      await gone;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('GIVEN it started THEN each substitution is one line, the start-up time is printed, and it was ready within seconds', () => {
    const out = platform.output();
    for (const service of [
      'API Gateway HTTP API',
      'Lex V2 runtime',
      'Lex V2 NLU',
      'Lambda (code hook)',
      'DynamoDB',
      'ElastiCache Redis',
      'Kinesis + Firehose',
      'CloudWatch (EMF)',
      'Comprehend',
      'Translate',
      'Polly',
    ]) {
      expect(out.split('\n').filter((l) => l.trimStart().startsWith(`${service} `))).toHaveLength(1);
    }
    expect(out).toMatch(/ElastiCache Redis\s+-> child redis-server \(pid \d+\)/);
    expect(out).toContain('LOCALBOTID');
    expect(out).toContain('TSTALIASID');
    expect(platform.printedMs).toBeLessThan(10_000);
    expect(platform.readyMs).toBeLessThan(20_000); // includes tsx compiling the sources
  });

  test('GIVEN a conversation turn WHEN SIGTERM arrives THEN the event is on disk, the child redis-server is stopped and it exits 0', async () => {
    const page = await fetch(`${platform.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>');
    const res = await fetch(`${platform.url}/v1/conversations/process-test-1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello', locale: 'en_US' }),
    });
    expect(res.status).toBe(200);
    const health = (await (await fetch(`${platform.url}/v1/health`)).json()) as {
      dependencies: Record<string, { state: string; kind: string }>;
    };
    expect(health.dependencies.sessions).toMatchObject({ state: 'up', kind: 'child-redis' });
    const redisPid = Number(/child redis-server \(pid (\d+)\)/.exec(platform.output())![1]);
    expect(alive(redisPid)).toBe(true);

    const exit = exited(platform.child);
    platform.child.kill('SIGTERM');
    expect(await exit).toBe(0);

    expect(platform.output()).toContain('SIGTERM: flushing events and stopping...');
    expect(platform.output()).toContain('Stopped.');
    expect(alive(redisPid)).toBe(false);
    const eventsDir = join(dataDir, 'events');
    expect(existsSync(eventsDir)).toBe(true);
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else files.push(join(dir, e.name));
      }
    };
    walk(eventsDir);
    const events = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    );
    expect(events).toEqual([expect.objectContaining({ conversationId: 'process-test-1', turn: 1 })]);
  });
});

test('SIGINT (Ctrl+C) stops it too, exit 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-process-int-'));
  try {
    const platform = await startPlatform({ PORT: '0', LOCAL_DATA_DIR: dataDir });
    const exit = exited(platform.child);
    platform.child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(platform.output()).toContain('SIGINT: flushing events and stopping...');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 40_000);

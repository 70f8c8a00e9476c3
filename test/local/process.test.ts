/**
 * `npm start` as a user runs it (`npm start`, its own process): it prints one line per
 * substitution and the start-up time, serves page + API, and on SIGTERM / SIGINT drains the
 * requests in flight, flushes the pending events, stops the child redis-server it started and
 * exits 0; a port in use is one line saying how to pick another, exit 1.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../../local/stores/redis';

const ROOT = join(__dirname, '..', '..');

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

/** `npm start` in its own process (the signals go to npm, as a user's would). */
function spawnNpmStart(env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env } });
}

async function startPlatform(env: NodeJS.ProcessEnv): Promise<Started> {
  const started = Date.now();
  const child = spawnNpmStart(env);
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

/** Resolves with the exit code (or the signal that ended it) once it has exited and its pipes are closed. */
const exited = (child: ChildProcessWithoutNullStreams): Promise<number | NodeJS.Signals | null> =>
  new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? signal)));

/** Every event in the data directory's event files. */
function readEvents(dataDir: string): { conversationId: string; turn: number }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.ndjson')) files.push(join(dir, e.name));
    }
  };
  if (existsSync(join(dataDir, 'events'))) walk(join(dataDir, 'events'));
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { conversationId: string; turn: number }),
  );
}

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

    expect(platform.output()).toContain(
      'SIGTERM: draining in-flight requests, flushing events and stopping...',
    );
    expect(platform.output()).toContain('Stopped.');
    expect(alive(redisPid)).toBe(false);
    expect(existsSync(join(dataDir, 'events'))).toBe(true);
    expect(readEvents(dataDir)).toEqual([
      expect.objectContaining({ conversationId: 'process-test-1', turn: 1 }),
    ]);
  });
});

test('GIVEN npm start WHEN SIGINT (Ctrl+C) arrives THEN it stops too, exit 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-process-int-'));
  try {
    const platform = await startPlatform({ PORT: '0', LOCAL_DATA_DIR: dataDir });
    const exit = exited(platform.child);
    platform.child.kill('SIGINT');
    const code = await exit;
    if (code !== 0) throw new Error(`exit ${code}:\n${platform.output()}`);
    expect(platform.output()).toContain(
      'SIGINT: draining in-flight requests, flushing events and stopping...',
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 40_000);

test('GIVEN a signal while it is still starting WHEN it has started THEN it stops cleanly: exit 0, its child redis-server stopped', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-process-early-'));
  try {
    const child = spawnNpmStart({
      PORT: '0',
      LOCAL_DATA_DIR: dataDir,
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = exited(child);
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Starting the local platform...')) resolve();
      }),
    );
    child.kill('SIGTERM'); // the NLU is still training
    const code = await exit;
    if (code !== 0) throw new Error(`exit ${code}:\n${out}`);
    expect(out).toContain('SIGTERM: draining in-flight requests, flushing events and stopping...');
    expect(out).toContain('Stopped.');
    const redisPid = Number(/child redis-server \(pid (\d+)\)/.exec(out)?.[1]);
    expect(redisPid).toBeGreaterThan(0);
    expect(alive(redisPid)).toBe(false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 40_000);

// ---- SIGTERM under load --------------------------------------------------------------------------

interface Turn {
  readonly conversationId: string;
  readonly turn: number;
  readonly start: number;
  /** When the request was handed to the operating system (in flight from then on). */
  sent?: number;
  end?: number;
  status?: number;
  error?: string;
}

const TEXTS = ['hello', 'I want to check my order', 'it is 1234567', 'thanks'];

/** POST one turn over a keep-alive connection of `agent`; the status, or throws the socket error. */
function postTurn(
  agent: Agent,
  url: string,
  conversationId: string,
  text: string,
  onSent: () => void,
): Promise<number> {
  const body = JSON.stringify({ text, locale: 'en_US' });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/conversations/${conversationId}/messages`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.once('finish', onSent);
    req.end(body);
  });
}

/** Bounded: each conversation stops at its first unanswered turn or after `maxTurns`. */
async function converse(
  agent: Agent,
  url: string,
  id: string,
  turns: Turn[],
  maxTurns: number,
): Promise<void> {
  for (let n = 1; n <= maxTurns; n += 1) {
    const t: Turn = { conversationId: id, turn: n, start: performance.now() };
    turns.push(t);
    try {
      t.status = await postTurn(agent, url, id, TEXTS[(n - 1) % TEXTS.length]!, () => {
        t.sent = performance.now();
      });
    } catch (err) {
      t.error = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    }
    t.end = performance.now();
    if (t.status !== 200) return;
  }
}

test('GIVEN 50 concurrent conversations WHEN SIGTERM reaches `npm start` THEN every request in flight is answered 200, every answered turn has its event, no unanswered one has, exit 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-process-drain-'));
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  try {
    // sessions in a child redis-server (gone with the platform): nothing left in a shared Redis
    const REDIS_URL = `redis://127.0.0.1:${await closedPort()}`;
    const platform = await startPlatform({ PORT: '0', LOCAL_DATA_DIR: dataDir, REDIS_URL });
    const turns: Turn[] = [];
    const runs = Array.from({ length: 50 }, (_, i) =>
      converse(agent, platform.url, `drain-${process.pid}-${i}`, turns, 40),
    );
    // every conversation under way, then the signal while turns are in flight
    const deadline = Date.now() + 30_000;
    while (turns.filter((t) => t.status === 200).length < 150 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const signalAt = performance.now();
    // in flight: sent, not answered yet (a request made but not yet written may meet a closed port)
    const inFlight = turns.filter((t) => t.sent !== undefined && t.end === undefined);
    const exit = exited(platform.child);
    platform.child.kill('SIGTERM');
    await Promise.all(runs);
    const code = await exit;

    const answered = turns.filter((t) => t.status === 200);
    const unanswered = turns.filter((t) => t.status !== 200);
    const onDisk = new Map<string, number>();
    for (const e of readEvents(dataDir)) {
      const id = `${e.conversationId}#${e.turn}`;
      onDisk.set(id, (onDisk.get(id) ?? 0) + 1);
    }
    const figures = {
      requests: turns.length,
      inFlightAtSignal: inFlight.length,
      inFlightAnswered200: inFlight.filter((t) => t.status === 200).length,
      answered: answered.length,
      unansweredAfterSignal: unanswered.length,
      unansweredErrors: [...new Set(unanswered.map((t) => t.status ?? t.error))],
      eventsWritten: [...onDisk.values()].reduce((a, b) => a + b, 0),
      drained: /Drained .*/.exec(platform.output())?.[0],
      exitCode: code,
    };
    if (process.env.DRAIN_FIGURES) writeFileSync(process.env.DRAIN_FIGURES, JSON.stringify(figures, null, 2));
    expect(code).toBe(0);

    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.filter((t) => t.status !== 200)).toEqual([]);
    expect(unanswered.filter((t) => t.sent !== undefined && t.sent < signalAt)).toEqual([]);
    expect(answered.filter((t) => onDisk.get(`${t.conversationId}#${t.turn}`) !== 1)).toEqual([]);
    expect(unanswered.filter((t) => onDisk.has(`${t.conversationId}#${t.turn}`))).toEqual([]);
    expect(figures.eventsWritten).toBe(answered.length);
    expect(platform.output()).toMatch(/Drained \d+ in-flight request\(s\)[^;\n]*\.\n/); // none cut off
  } finally {
    agent.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 90_000);

test('GIVEN the port is taken WHEN `npm start` THEN one line says how to pick another port, no stack trace, exit 1', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as AddressInfo;
  const dataDir = mkdtempSync(join(tmpdir(), 'local-process-port-'));
  try {
    const child = spawnNpmStart({ PORT: String(port), LOCAL_DATA_DIR: dataDir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    expect(await exited(child)).toBe(1);
    const ours = out.split('\n').filter((l) => l.includes(String(port)));
    expect(ours).toEqual([
      `Port ${port} is already in use (EADDRINUSE): pick another one, e.g. PORT=${port + 1} npm start (PORT=0 takes any free port)`,
    ]);
    expect(out).not.toMatch(/^\s+at /m);
    expect(out).not.toContain('Ready in');
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 40_000);

/**
 * Log lines name the right conversation under concurrency, on the local platform (one process,
 * many conversations at once, the real channel and fulfillment handlers each with one shared
 * Logger): 50 conversations at once over HTTP, the handlers' INFO lines captured. Every
 * "turn handled" line names a conversation, its own (conversation n writes on channel `cn`, which
 * the line carries); every "message answered" line of the channel names one, each conversation
 * as many times as it sent a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

const CONVERSATIONS = 50;
const TURNS = 2;
const RUN = `logctx-${process.pid}-${Date.now()}`;
const idOf = (n: number): string => `${RUN}-${n}`;

let platform: LocalPlatform;
let dataDir: string;
const previousLevel = process.env.POWERTOOLS_LOG_LEVEL;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-logctx-'));
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined); // the start-up lines
  try {
    platform = await startLocalPlatform({ port: 0, quiet: false, dataDir, sessions: 'memory' });
  } finally {
    log.mockRestore();
  }
});

afterAll(async () => {
  await platform?.stop();
  if (previousLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = previousLevel;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Line = Record<string, unknown>;

async function capturingLogs(fn: () => Promise<unknown>): Promise<Line[]> {
  const lines: Line[] = [];
  const capture = (chunk: unknown): boolean => {
    for (const text of String(chunk).split('\n')) {
      if (!text.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(text) as Line);
      } catch {
        // not a log line
      }
    }
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

async function converse(n: number): Promise<void> {
  for (let turn = 1; turn <= TURNS; turn++) {
    const res = await fetch(`${platform.url}/v1/conversations/${idOf(n)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: turn === 1 ? 'hello' : 'where is my order', channel: `c${n}` }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
}

test(`GIVEN the local platform WHEN ${CONVERSATIONS} conversations run at once THEN every log line that names a conversation names its own`, async () => {
  const lines = await capturingLogs(() =>
    Promise.all(Array.from({ length: CONVERSATIONS }, (_, n) => converse(n))),
  );

  // the fulfillment's line of each turn: its conversation, the one whose channel it carries
  const handled = lines.filter((l) => l.message === 'turn handled');
  expect(handled).toHaveLength(CONVERSATIONS * TURNS);
  for (const line of handled) {
    expect(line.sessionId).toBe(idOf(Number(String(line.channel).slice(1))));
  }
  // the channel's line of each message: each conversation once per message it sent
  const answered = lines.filter((l) => l.message === 'message answered');
  expect(answered).toHaveLength(CONVERSATIONS * TURNS);
  const perConversation = new Map<unknown, number>();
  for (const line of answered)
    perConversation.set(line.sessionId, (perConversation.get(line.sessionId) ?? 0) + 1);
  expect([...perConversation.keys()].sort()).toEqual(
    Array.from({ length: CONVERSATIONS }, (_, n) => idOf(n)).sort(),
  );
  expect([...perConversation.values()].every((count) => count === TURNS)).toBe(true);
});

/**
 * Each local dependency switched off over HTTP (POST /local/faults), end to end: turns are still
 * answered 200, /v1/health reports the outage, the handler's metrics count it, and what "nothing
 * lost" means for that dependency holds (docs/local-platform.md, "Fault switches").
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageResponse } from '../../contracts/conversation-api';
import { replayDeadLetters } from '../../local/adapters/dead-letter';
import { isLoopback } from '../../local/platform/admin';
import { readSettings } from '../../local/platform/settings';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

let platform: LocalPlatform;
let dataDir: string;
const RUN = `faults-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-faults-'));
  platform = await startLocalPlatform({
    port: 0,
    quiet: true,
    dataDir,
    sessions: 'memory',
    // a small retry buffer, so the events outage also fills it and dead-letters
    eventBuffer: { maxBuffered: 3, retryDelayMs: 20, maxRetryDelayMs: 50 },
  });
});

afterAll(async () => {
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await switchOff([]); // every dependency back on, whatever a test did
});

async function switchOff(faults: string[]): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${platform.url}/local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ faults }),
  });
  return { status: res.status, body: (await res.json()) as { faults: string[] } };
}

async function say(conversationId: string, text: string): Promise<{ status: number; body: MessageResponse }> {
  const res = await fetch(`${platform.url}/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, locale: 'en_US' }),
  });
  return { status: res.status, body: (await res.json()) as MessageResponse };
}

interface Health {
  status: string;
  faults: string[];
  metrics: Record<string, number>;
  dependencies: Record<string, { state: string } & Record<string, unknown>>;
}
async function health(): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${platform.url}/v1/health`);
  return { code: res.status, body: (await res.json()) as Health };
}

const total = async (metric: string): Promise<number> => (await health()).body.metrics[metric] ?? 0;

/** The events on disk for a conversation, by turn. */
function eventsOf(conversationId: string): { turn: number; sentiment: string | null; degraded: string[] }[] {
  const out: { conversationId: string; turn: number; sentiment: string | null; degraded: string[] }[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else
        for (const l of readFileSync(join(d, e.name), 'utf8').split('\n').filter(Boolean))
          out.push(JSON.parse(l) as (typeof out)[number]);
    }
  };
  if (existsSync(join(dataDir, 'events'))) walk(join(dataDir, 'events'));
  return out.filter((e) => e.conversationId === conversationId).sort((a, b) => a.turn - b.turn);
}

/** Three turns; every one must be answered 200. */
async function threeTurns(conversationId: string): Promise<MessageResponse[]> {
  const answers: MessageResponse[] = [];
  for (const text of ['hello', 'I want to check my order', 'it is 1234567']) {
    const { status, body } = await say(conversationId, text);
    expect(status).toBe(200);
    answers.push(body);
  }
  return answers;
}

describe('GIVEN the fault switches', () => {
  test('WHEN read, set, or set to an unknown name THEN GET lists them; POST replaces the set; an unknown name is a 400 naming the known ones', async () => {
    const listed = (await (await fetch(`${platform.url}/local/faults`)).json()) as { known: string[] };
    expect(listed).toEqual({
      faults: [],
      known: ['dynamodb', 'redis', 'events', 'metrics', 'sentiment', 'tickets', 'ticket-worker', 'orders'],
    });
    expect(await switchOff(['redis', 'dynamodb'])).toEqual({
      status: 200,
      body: { faults: ['dynamodb', 'redis'], known: listed.known },
    });
    expect((await health()).body.faults).toEqual(['dynamodb', 'redis']);
    const bad = await switchOff(['kinesis']);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: {
        code: 'INVALID_FAULTS',
        message:
          'unknown fault "kinesis": use one of dynamodb, redis, events, metrics, sentiment, tickets, ticket-worker, orders',
        field: 'faults',
      },
    });
    expect((await health()).body.faults).toEqual(['dynamodb', 'redis']); // unchanged
  });

  test('WHEN LOCAL_FAULTS is given at start-up THEN it sets them; a wrong name stops the start with one line', () => {
    expect(readSettings({}, { LOCAL_FAULTS: 'dynamodb, redis' }).faults).toEqual(['dynamodb', 'redis']);
    expect(() => readSettings({}, { LOCAL_FAULTS: 'dynamo' })).toThrow(
      'LOCAL_FAULTS: unknown fault "dynamo": use one of dynamodb, redis, events, metrics, sentiment, tickets, ticket-worker, orders',
    );
    expect(readSettings({}, {}).faults).toEqual([]);
  });

  test('WHEN a client would flip them THEN only a loopback client may', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.5', '::ffff:192.168.1.2', 'fe80::1', undefined].some(isLoopback)).toBe(false);
  });
});

test('GIVEN DynamoDB down WHEN turns arrive THEN answered 200, health "down", each missing item counted as ContextStoreUnavailable, every event written', async () => {
  const id = `${RUN}-dynamodb`;
  const before = await total('ContextStoreUnavailable');
  await switchOff(['dynamodb']);
  await threeTurns(id);
  const h = await health();
  expect(h.code).toBe(503);
  expect(h.body.status).toBe('down');
  expect(h.body.dependencies.dynamodb!.state).toBe('down');
  expect((await total('ContextStoreUnavailable')) - before).toBe(3);

  await switchOff([]);
  expect((await say(id, 'thanks')).status).toBe(200);
  const items = await platform.dynamo.doc.send(
    new QueryCommand({
      TableName: platform.dynamo.tableName,
      KeyConditionExpression: 'conversationId = :id',
      ExpressionAttributeValues: { ':id': id },
    }),
  );
  expect(items.Items?.map((i) => i.turn)).toEqual([4]); // the outage's three items are not there...
  await platform.events.flush();
  const events = eventsOf(id);
  expect(events.map((e) => e.turn)).toEqual([1, 2, 3, 4]); // ...but their events are
  expect((await health()).body.status).toBe('ok');
});

test('GIVEN Redis down WHEN turns arrive THEN answered 200, health "degraded", SessionStoreUnavailable counted, the conversation goes on from the Lex session', async () => {
  const id = `${RUN}-redis`;
  expect((await say(id, 'hello')).status).toBe(200);
  const before = await total('SessionStoreUnavailable');
  await switchOff(['redis']);
  await threeTurns(id); // turns 2-4
  const h = await health();
  expect(h.code).toBe(503);
  expect(h.body.status).toBe('degraded');
  expect(h.body.dependencies.sessions!.state).toBe('down');
  expect((await total('SessionStoreUnavailable')) - before).toBe(3);
  await switchOff([]);
  expect((await say(id, 'thanks')).status).toBe(200);
  await platform.events.flush();
  expect(eventsOf(id).map((e) => e.turn)).toEqual([1, 2, 3, 4, 5]); // no turn lost or repeated
  expect((await health()).body.status).toBe('ok');
});

test('GIVEN the events sink down WHEN turns arrive THEN answered 200, health "degraded" while events wait; buffered ones delivered on recovery, the overflow dead-lettered and replayed; each event once', async () => {
  const id = `${RUN}-events`;
  await switchOff(['events']);
  for (const text of ['hello', 'hi', 'hello again', 'I want to check my order', 'it is 1234567']) {
    expect((await say(id, text)).status).toBe(200);
  }
  let h = await health();
  expect(h.code).toBe(503);
  expect(h.body.status).toBe('degraded');
  expect(h.body.dependencies.events).toMatchObject({ state: 'down', buffered: 3, deadLettered: 2, lost: 0 });
  expect(eventsOf(id)).toEqual([]);

  await switchOff([]);
  const deadline = Date.now() + 5000;
  while ((await health()).body.dependencies.events!.buffered !== 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  h = await health();
  // delivered from the buffer; the two dead-lettered wait for a replay, and health says so
  expect(h.body.dependencies.events).toMatchObject({
    state: 'degraded',
    buffered: 0,
    deadLetter: { pending: 2 },
  });
  expect(eventsOf(id).map((e) => e.turn)).toEqual([1, 2, 3]);

  expect(await replayDeadLetters(dataDir)).toMatchObject({ replayed: 2, alreadyDelivered: 0 });
  expect(await replayDeadLetters(dataDir)).toMatchObject({ replayed: 0 });
  expect(eventsOf(id).map((e) => e.turn)).toEqual([1, 2, 3, 4, 5]);
  h = await health();
  expect(h.body.status).toBe('ok');
  expect(h.body.dependencies.events).toMatchObject({ state: 'up', buffered: 0, deadLetter: { pending: 0 } });
});

test('GIVEN the metrics file down WHEN turns arrive THEN answered 200, health "degraded", totals still count, the documents are written once it is back', async () => {
  const id = `${RUN}-metrics`;
  const emf = join(dataDir, 'metrics', 'emf.ndjson');
  const emfLines = (): number =>
    existsSync(emf) ? readFileSync(emf, 'utf8').split('\n').filter(Boolean).length : 0;
  const turnsBefore = await total('Turns');
  const linesBefore = emfLines();
  await switchOff(['metrics']);
  await threeTurns(id);
  const h = await health();
  expect(h.code).toBe(503);
  expect(h.body.dependencies.metrics).toMatchObject({ state: 'down', pending: 3, dropped: 0 });
  expect((await total('Turns')) - turnsBefore).toBe(3);
  expect(emfLines()).toBe(linesBefore);
  await switchOff([]);
  expect((await say(id, 'thanks')).status).toBe(200);
  expect(emfLines()).toBe(linesBefore + 4);
  expect((await health()).body.dependencies.metrics).toMatchObject({ state: 'up', pending: 0 });
});

test('GIVEN sentiment down WHEN turns arrive THEN answered 200 without a sentiment, health "degraded", SentimentUnavailable counted and in the events', async () => {
  const id = `${RUN}-sentiment`;
  const before = await total('SentimentUnavailable');
  await switchOff(['sentiment']);
  const answers = await threeTurns(id);
  expect(answers.map((a) => a.sentiment)).toEqual([null, null, null]);
  const h = await health();
  expect(h.body.status).toBe('degraded');
  expect(h.body.dependencies.sentiment!.state).toBe('down');
  expect((await total('SentimentUnavailable')) - before).toBe(3);
  await platform.events.flush();
  const events = eventsOf(id);
  expect(events.map((e) => [e.turn, e.sentiment])).toEqual([
    [1, null],
    [2, null],
    [3, null],
  ]);
  expect(events.every((e) => e.degraded.includes('SentimentUnavailable'))).toBe(true);
});

/**
 * The local platform's embedded substitutes: session store fallbacks (Redis -> child
 * redis-server -> in memory), dynalite table from the shared key schema, NDJSON event files in
 * the Firehose layout, in-memory sessions with an idle TTL.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ConversationTableSchema } from '../../contracts/runtime-env';
import { InMemorySessionStore } from '../../local/adapters/memory-session-store';
import { FIREHOSE_PREFIX, NdjsonEventSink, partitionPath } from '../../local/adapters/ndjson-event-sink';
import { startLocalDynamo } from '../../local/stores/dynamo';
import { findExecutable, freePort, pingRedis, resolveRedis } from '../../local/stores/redis';
import type { ConversationEvent } from '../../src/ports';

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'local-stores-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('session store resolution', () => {
  test('GIVEN an unreachable REDIS_URL and no redis-server binary WHEN resolved THEN none (the caller uses memory)', async () => {
    const port = await freePort();
    const out = await resolveRedis({ url: `redis://127.0.0.1:${port}`, redisServerBinary: null, workDir });
    expect(out.kind).toBe('none');
    expect(out.kind === 'none' && out.reason).toContain('no redis-server');
  });

  test('GIVEN an unreachable REDIS_URL and redis-server installed (.ci/run installs it) WHEN resolved THEN a child redis-server, stopped on demand', async () => {
    expect(findExecutable('redis-server')).toBeDefined();
    const port = await freePort();
    const out = await resolveRedis({ url: `redis://127.0.0.1:${port}`, workDir });
    expect(out.kind).toBe('child');
    if (out.kind !== 'child') return;
    expect(await pingRedis(out.url)).toBe(true);
    await out.stop();
    expect(await pingRedis(out.url, 300)).toBe(false);
    expect(() => process.kill(out.pid, 0)).toThrow();
  });
});

test('GIVEN dynalite WHEN the conversation table is created THEN it has the data stack key schema', async () => {
  const dynamo = await startLocalDynamo('stores-test-table');
  try {
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: 'stores-test-table' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: ConversationTableSchema.partitionKey, KeyType: 'HASH' },
      { AttributeName: ConversationTableSchema.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'conversationId', AttributeType: 'S' },
        { AttributeName: 'turn', AttributeType: 'N' },
      ]),
    );
  } finally {
    await dynamo.stop();
  }
});

describe('GIVEN an NdjsonEventSink', () => {
  const event = (turn: number): ConversationEvent => ({
    schemaVersion: 1,
    conversationId: 'c-1',
    turn,
    locale: 'en_US',
    language: 'en',
    intent: 'Greeting',
    nluConfidence: 0.9,
    fallback: false,
    sentiment: 'NEUTRAL',
    channel: 'web',
    inputMode: 'Text',
    escalated: false,
    degraded: [],
    latencyMs: 3,
    timestamp: '2026-03-04T05:06:07.000Z',
  });

  test('WHEN the partition of a time is computed THEN it expands the Firehose prefix in UTC', () => {
    expect(FIREHOSE_PREFIX).toBe(
      'events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
    );
    expect(partitionPath(new Date('2026-03-04T05:06:07Z'))).toBe('events/year=2026/month=03/day=04/hour=05/');
  });

  test('WHEN events are put THEN it appends one JSON line per event under the partition of the arrival time', async () => {
    const at = new Date('2026-12-31T23:59:00Z');
    const sink = new NdjsonEventSink(workDir, () => at);
    await sink.put([event(1), event(2)]);
    await sink.put([event(3)]);
    await sink.flush();
    const file = sink.fileFor(at);
    expect(file.startsWith(join(workDir, 'events/year=2026/month=12/day=31/hour=23/'))).toBe(true);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ConversationEvent);
    expect(lines.map((e) => e.turn)).toEqual([1, 2, 3]);
    expect(sink.count).toBe(3);
  });

  test('WHEN many events are put at once THEN the partition file is opened once, every line whole, and close() lets go of it', async () => {
    let at = new Date('2026-06-01T10:59:00Z');
    const sink = new NdjsonEventSink(workDir, () => at);
    await Promise.all(Array.from({ length: 50 }, (_, i) => sink.put([event(i + 1)])));
    await sink.put([event(51), event(52)]);
    expect(sink.opens).toBe(1);
    at = new Date('2026-06-01T11:00:00Z'); // the next hour's partition: a new file
    await sink.put([event(53)]);
    expect(sink.opens).toBe(2);
    await sink.close();
    const turns = (file: string): number[] =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as ConversationEvent).turn);
    expect(turns(sink.fileFor(new Date('2026-06-01T10:59:00Z'))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 52 }, (_, i) => i + 1),
    );
    expect(turns(sink.fileFor(at))).toEqual([53]);
    await sink.put([event(54)]); // after close(): opened again, nothing lost
    await sink.close();
    expect(sink.opens).toBe(3);
    expect(turns(sink.fileFor(at))).toEqual([53, 54]);
  });

  test('WHEN a write cannot happen THEN it throws (never dropped silently)', async () => {
    const blocker = join(workDir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const sink = new NdjsonEventSink(join(blocker, 'data'));
    await expect(sink.put([event(1)])).rejects.toThrow();
  });
});

test('GIVEN an InMemorySessionStore WHEN a session is put and read THEN idle TTL, copies in and out', async () => {
  let now = 1_000_000;
  const store = new InMemorySessionStore(60, () => now);
  const state = {
    turn: 1,
    language: 'en',
    locale: 'en_US' as const,
    sentimentTrend: ['NEUTRAL' as const],
    escalated: false,
  };
  await store.put('c-1', state);
  expect(await store.get('c-1')).toEqual(state);
  now += 59_000;
  expect(await store.get('c-1')).toEqual(state);
  now += 2_000;
  expect(await store.get('c-1')).toBeUndefined();
});

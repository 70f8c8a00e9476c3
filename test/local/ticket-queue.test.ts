/**
 * The local ticket queue's SQS semantics (local/tickets/queue.ts), on a fake clock: at-least-once
 * delivery with a visibility timeout, receive counts, stale receipt handles, redrive to the
 * dead-letter file after maxReceives, the long-poll wait, and nothing lost on stop.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTicketQueue } from '../../local/tickets/queue';

let dir: string;
let now = 1_000;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ticket-queue-'));
  now = 1_000;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const queueOf = (maxReceives = 3) =>
  new LocalTicketQueue({ dataDir: dir, maxReceives, visibilityTimeoutMs: 100, now: () => now });

test('GIVEN a received message not deleted WHEN the visibility timeout passes THEN it is delivered again with a higher receive count', async () => {
  const queue = queueOf();
  const id = queue.send('body-1', { kind: 'issue' });

  const [first] = await queue.receive(10);
  const hidden = await queue.receive(10);
  now += 100;
  const [second] = await queue.receive(10);

  expect(first).toMatchObject({ messageId: id, body: 'body-1', receiveCount: 1 });
  expect(hidden).toEqual([]);
  expect(second).toMatchObject({ messageId: id, receiveCount: 2 });
});

test('GIVEN a redelivered message WHEN the first receive deletes with its stale handle THEN nothing is deleted; the latest handle deletes it', async () => {
  const queue = queueOf();
  queue.send('b');
  const [first] = await queue.receive(1);
  now += 100;
  const [second] = await queue.receive(1);

  expect(queue.delete(first!.receiptHandle)).toBe(false);
  expect(queue.delete(second!.receiptHandle)).toBe(true);
  now += 1000;
  expect(await queue.receive(1)).toEqual([]);
});

test('GIVEN a message received maxReceives times WHEN received again THEN it goes to the dead-letter file with its body and attributes, and leaves the queue', async () => {
  const queue = queueOf(2);
  queue.send('{"x":1}', { category: 'billing' });
  await queue.receive(1);
  now += 100;
  await queue.receive(1);
  now += 100;

  const third = await queue.receive(1);

  expect(third).toEqual([]);
  expect(queue.readDeadLetters()).toEqual([
    expect.objectContaining({
      reason: 'maxReceives',
      receiveCount: 2,
      body: '{"x":1}',
      attributes: { category: 'billing' },
    }),
  ]);
  expect(queue.depth()).toEqual({ visible: 0, inFlight: 0 });
});

test('GIVEN an empty queue WHEN a receive waits THEN it returns the message sent while it waited', async () => {
  const queue = new LocalTicketQueue({ dataDir: dir, maxReceives: 3, visibilityTimeoutMs: 100 });
  const waiting = queue.receive(1, 2000);
  setTimeout(() => queue.send('late'), 20);

  const started = Date.now();
  const got = await waiting;

  expect(got.map((m) => m.body)).toEqual(['late']);
  expect(Date.now() - started).toBeLessThan(1000);
});

test('GIVEN messages still queued WHEN the queue stops THEN they are written to the undelivered file', async () => {
  const queue = queueOf();
  queue.send('a');
  queue.send('b');
  await queue.receive(1);

  queue.stop();

  const lines = readFileSync(queue.undeliveredFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.map((l) => [l.body, l.reason])).toEqual([
    ['a', 'stopped'],
    ['b', 'stopped'],
  ]);
  expect(() => queue.send('c')).toThrow('stopped');
});

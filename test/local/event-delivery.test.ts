/**
 * The local event sink's guarantee: an event the files do not take is retried from a bounded
 * buffer, dead-lettered when it cannot wait (buffer full, too old, shutdown), and the
 * dead-letter file is replayed by `npm run events:replay`, idempotently.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferedEventSink } from '../../local/adapters/buffered-event-sink';
import { DeadLetterFile, deliveredIds, replayDeadLetters } from '../../local/adapters/dead-letter';
import { NdjsonEventSink } from '../../local/adapters/ndjson-event-sink';
import { main as replayMain } from '../../local/events-replay';
import { EventDeliveryError } from '../../src/fulfillment/errors';
import type { ConversationEvent, EventSink } from '../../src/ports';

const ROOT = join(__dirname, '..', '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-events-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const event = (turn: number, conversationId = 'c-1'): ConversationEvent => ({
  schemaVersion: 1,
  conversationId,
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

/** A target that fails while `down`, and remembers what it took. */
function switchable(): EventSink & { down: boolean; took: ConversationEvent[] } {
  const target = {
    down: false,
    took: [] as ConversationEvent[],
    async put(events: readonly ConversationEvent[]) {
      if (target.down) throw new Error('sink unavailable');
      target.took.push(...events);
    },
  };
  return target;
}

const deadLettered = (file: DeadLetterFile): number[] =>
  existsSync(file.file)
    ? readFileSync(file.file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { event: ConversationEvent }).event.turn)
    : [];

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};

describe('BufferedEventSink', () => {
  test('GIVEN the target down WHEN events are put THEN they are accepted, buffered, and delivered once it is back, in order', async () => {
    const target = switchable();
    const sink = new BufferedEventSink(target, new DeadLetterFile(dir), {
      retryDelayMs: 10,
      maxRetryDelayMs: 20,
    });
    target.down = true;
    await sink.put([event(1)]);
    await sink.put([event(2), event(3)]);
    expect(sink.stats).toMatchObject({ delivered: 0, buffered: 3, failing: true, deadLettered: 0 });
    target.down = false;
    await until(() => sink.stats.buffered === 0);
    expect(target.took.map((e) => e.turn)).toEqual([1, 2, 3]);
    expect(sink.stats).toMatchObject({ delivered: 3, buffered: 0, failing: false, deadLettered: 0, lost: 0 });
    await sink.put([event(4)]); // straight through again
    expect(target.took.map((e) => e.turn)).toEqual([1, 2, 3, 4]);
    await sink.close();
  });

  test('GIVEN the buffer is full WHEN more events come THEN they go to the dead-letter file at once (memory stays bounded)', async () => {
    const target = switchable();
    const file = new DeadLetterFile(dir);
    const sink = new BufferedEventSink(target, file, { maxBuffered: 2, retryDelayMs: 10_000 });
    target.down = true;
    await sink.put([event(1), event(2), event(3)]);
    await sink.put([event(4)]);
    expect(sink.stats).toMatchObject({ buffered: 2, deadLettered: 2 });
    expect(deadLettered(file)).toEqual([3, 4]);
    expect(file.pending()).toBe(2);
    const line = JSON.parse(readFileSync(file.file, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ reason: 'retry buffer full', event: { conversationId: 'c-1', turn: 3 } });
    await sink.close();
    expect(deadLettered(file)).toEqual([3, 4, 1, 2]); // stopped while still down: the rest too
  });

  test('GIVEN the target stays down WHEN an event waited longer than maxAgeMs THEN it is dead-lettered', async () => {
    const target = switchable();
    const file = new DeadLetterFile(dir);
    let now = 0;
    const sink = new BufferedEventSink(target, file, { maxAgeMs: 1000, retryDelayMs: 5, now: () => now });
    target.down = true;
    await sink.put([event(1)]);
    now = 500;
    await sink.flush();
    expect(sink.stats.buffered).toBe(1);
    now = 1001;
    await sink.flush();
    expect(sink.stats).toMatchObject({ buffered: 0, deadLettered: 1 });
    expect(deadLettered(file)).toEqual([1]);
    await sink.close();
  });

  test('GIVEN the target down WHEN stopping THEN what is buffered is tried once more, then dead-lettered', async () => {
    const target = switchable();
    const file = new DeadLetterFile(dir);
    const sink = new BufferedEventSink(target, file, { retryDelayMs: 10_000 });
    target.down = true;
    await sink.put([event(1), event(2)]);
    await sink.close();
    expect(deadLettered(file)).toEqual([1, 2]);
    expect(sink.stats).toMatchObject({ buffered: 0, deadLettered: 2 });
    await sink.put([event(3)]); // after close: nothing buffered any more
    expect(deadLettered(file)).toEqual([1, 2, 3]);
  });

  test('GIVEN neither the target nor the dead-letter file can be written THEN put throws an EventDeliveryError naming the events, and they are counted as lost', async () => {
    const target = switchable();
    writeFileSync(join(dir, 'blocker'), 'a file where the data directory should be');
    const reports: string[] = [];
    const sink = new BufferedEventSink(target, new DeadLetterFile(join(dir, 'blocker')), {
      maxBuffered: 0,
      report: (m) => reports.push(m),
    });
    target.down = true;
    const err = await sink.put([event(7, 'conv-x')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventDeliveryError);
    expect((err as EventDeliveryError).eventIds).toEqual(['conv-x#7']);
    expect(sink.stats.lost).toBe(1);
    expect(reports.join('\n')).toContain('conv-x#7');
  });
});

describe('npm run events:replay', () => {
  async function deadLetter(turns: number[]): Promise<void> {
    await new DeadLetterFile(dir).append(
      turns.map((t) => event(t)),
      'test',
    );
  }
  const eventsOnDisk = (): string[] => {
    const ids: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else
          for (const l of readFileSync(join(d, e.name), 'utf8').split('\n').filter(Boolean)) {
            const ev = JSON.parse(l) as ConversationEvent;
            ids.push(`${ev.conversationId}#${ev.turn}`);
          }
      }
    };
    if (existsSync(join(dir, 'events'))) walk(join(dir, 'events'));
    return ids.sort();
  };

  test('GIVEN dead-lettered events, one of them delivered meanwhile WHEN replayed twice THEN each is in the event files once, and the second replay writes nothing', async () => {
    await new NdjsonEventSink(dir).put([event(2)]);
    await deadLetter([1, 2, 3]);
    const first = await replayDeadLetters(dir);
    expect(first).toMatchObject({ replayed: 2, alreadyDelivered: 1, unreadable: 0 });
    expect(eventsOnDisk()).toEqual(['c-1#1', 'c-1#2', 'c-1#3']);
    expect(new DeadLetterFile(dir).pending()).toBe(0);
    expect(await replayDeadLetters(dir)).toMatchObject({ replayed: 0, files: [] });
    // the same events dead-lettered again (e.g. a copy restored by hand): still nothing new
    await deadLetter([1, 3]);
    expect(await replayDeadLetters(dir)).toMatchObject({ replayed: 0, alreadyDelivered: 2 });
    expect(eventsOnDisk()).toEqual(['c-1#1', 'c-1#2', 'c-1#3']);
    expect(deliveredIds(join(dir, 'events')).size).toBe(3);
  });

  test('GIVEN a replay stopped half way (its replaying-* file left) WHEN replayed again THEN that file is picked up', async () => {
    mkdirSync(join(dir, 'dead-letter'), { recursive: true });
    writeFileSync(
      join(dir, 'dead-letter', 'replaying-2026-01-01T00-00-00-000Z-1.ndjson'),
      `${JSON.stringify({ deadLetteredAt: 'x', reason: 'test', event: event(9) })}\nnot json\n`,
    );
    expect(await replayDeadLetters(dir)).toMatchObject({ replayed: 1, unreadable: 1 });
    expect(eventsOnDisk()).toEqual(['c-1#9']);
  });

  test('GIVEN dead-lettered events WHEN the command runs THEN it prints how many it replayed; `npm run events:replay` runs it', async () => {
    await deadLetter([1, 2]);
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
    try {
      expect(await replayMain(['--data-dir', dir])).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(lines).toEqual([`Replayed 2 dead-lettered event(s) into ${join(dir, 'events')}.`]);
    const npm = spawnSync('npm', ['run', '--silent', 'events:replay'], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(npm.status).toBe(0);
    expect(npm.stdout.trim()).toBe(`No dead-lettered events in ${dir}: nothing to replay.`);
    expect(eventsOnDisk()).toEqual(['c-1#1', 'c-1#2']);
  });
});

/**
 * The dead-letter file of the local event sink: conversation events that could not be delivered
 * (the sink was down longer than the retry buffer holds them, the buffer was full, or the
 * platform stopped while they were still buffered), one JSON line each:
 * `{ "deadLetteredAt", "reason", "event" }`, in `<dataDir>/dead-letter/events.ndjson`.
 *
 * `npm run events:replay` (local/events-replay.ts, `replayDeadLetters` below) delivers them to the
 * event files: idempotent, an event (conversationId + turn) already there is not written again.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eventId } from '../../src/fulfillment/errors';
import type { ConversationEvent } from '../../src/ports';
import { NdjsonEventSink } from './ndjson-event-sink';

export const DEAD_LETTER_DIR = 'dead-letter';
const ACTIVE = 'events.ndjson';

export interface DeadLetterRecord {
  readonly deadLetteredAt: string;
  readonly reason: string;
  readonly event: ConversationEvent;
}

export class DeadLetterFile {
  readonly dir: string;
  readonly file: string;
  private cache: { ino: number; size: number; lines: number } | undefined;

  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dir = join(dataDir, DEAD_LETTER_DIR);
    this.file = join(this.dir, ACTIVE);
  }

  /** Appends the events; throws if the file cannot be written. */
  async append(events: readonly ConversationEvent[], reason: string): Promise<void> {
    if (events.length === 0) return;
    const deadLetteredAt = this.now().toISOString();
    const lines = events.map((event) => JSON.stringify({ deadLetteredAt, reason, event }) + '\n');
    await mkdir(this.dir, { recursive: true });
    await appendFile(this.file, lines.join(''), 'utf8');
  }

  /** Events waiting in the file for a replay (the replay moves the file away). */
  pending(): number {
    try {
      const { ino, size } = statSync(this.file);
      if (this.cache?.ino !== ino || this.cache.size !== size) {
        const lines = readFileSync(this.file, 'utf8').split('\n').filter(Boolean).length;
        this.cache = { ino, size, lines };
      }
      return this.cache.lines;
    } catch {
      return 0;
    }
  }
}

export interface ReplayResult {
  /** Events written to the event files. */
  readonly replayed: number;
  /** Events already in the event files (delivered, or replayed before): not written again. */
  readonly alreadyDelivered: number;
  /** Lines that are not a dead-lettered event. */
  readonly unreadable: number;
  /** The dead-letter files read, now renamed `replayed-*.ndjson`. */
  readonly files: readonly string[];
}

/**
 * Delivers every dead-lettered event not yet in `<dataDir>/events/` to the event files (the
 * partition of the replay time, as Firehose partitions by arrival). The active file is renamed
 * first, so a running platform dead-letters into a new one meanwhile; a replay that stopped half
 * way leaves its `replaying-*` file, which the next replay picks up.
 */
export async function replayDeadLetters(
  dataDir: string,
  now: () => Date = () => new Date(),
): Promise<ReplayResult> {
  const dir = join(dataDir, DEAD_LETTER_DIR);
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  if (existsSync(join(dir, ACTIVE)))
    renameSync(join(dir, ACTIVE), join(dir, `replaying-${stamp}-${process.pid}.ndjson`));
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.startsWith('replaying-'))
        .sort()
    : [];
  const delivered = deliveredIds(join(dataDir, 'events'));
  const sink = new NdjsonEventSink(dataDir, now);
  let replayed = 0;
  let alreadyDelivered = 0;
  let unreadable = 0;
  for (const name of files) {
    const { events, bad } = readDeadLetters(join(dir, name));
    unreadable += bad;
    const fresh: ConversationEvent[] = [];
    for (const event of events) {
      const id = eventId(event);
      if (delivered.has(id)) {
        alreadyDelivered += 1;
        continue;
      }
      delivered.add(id);
      fresh.push(event);
    }
    await sink.put(fresh);
    replayed += fresh.length;
    renameSync(join(dir, name), join(dir, name.replace(/^replaying-/, 'replayed-')));
  }
  await sink.close();
  return { replayed, alreadyDelivered, unreadable, files: files.map((f) => join(dir, f)) };
}

function readDeadLetters(file: string): { events: ConversationEvent[]; bad: number } {
  const events: ConversationEvent[] = [];
  let bad = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const event = (JSON.parse(line) as Partial<DeadLetterRecord>).event;
      if (event && typeof event.conversationId === 'string' && typeof event.turn === 'number')
        events.push(event);
      else bad += 1;
    } catch {
      bad += 1;
    }
  }
  return { events, bad };
}

/** conversationId#turn of every event in the event files. */
export function deliveredIds(eventsDir: string): Set<string> {
  const ids = new Set<string>();
  if (!existsSync(eventsDir)) return ids;
  for (const file of ndjsonFiles(eventsDir)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        ids.add(eventId(JSON.parse(line) as ConversationEvent));
      } catch {
        // a torn line: not an event
      }
    }
  }
  return ids;
}

function ndjsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? ndjsonFiles(join(dir, e.name)) : e.name.endsWith('.ndjson') ? [join(dir, e.name)] : [],
  );
}

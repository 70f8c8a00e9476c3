/**
 * EventSink port writing conversation events as NDJSON files in the layout Firehose writes to
 * the analytics bucket: `events/year=YYYY/month=MM/day=DD/hour=HH/` (UTC, from the arrival
 * time, as Firehose's `!{timestamp:...}` prefix does), one line per event. So the same
 * analytics queries (e.g. Athena over a partitioned table) can be tried on local files.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConversationEvent, EventSink } from '../../src/ports';

/** The analytics stack's Firehose prefix, with Firehose's timestamp namespace. */
export const FIREHOSE_PREFIX =
  'events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/';

/** Expands the Firehose prefix for a moment (UTC). */
export function partitionPath(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return FIREHOSE_PREFIX.replace('!{timestamp:yyyy}', String(at.getUTCFullYear()))
    .replace('!{timestamp:MM}', pad(at.getUTCMonth() + 1))
    .replace('!{timestamp:dd}', pad(at.getUTCDate()))
    .replace('!{timestamp:HH}', pad(at.getUTCHours()));
}

export class NdjsonEventSink implements EventSink {
  private pending = new Set<Promise<void>>();
  /** Objects of one process share a name per partition, as a Firehose delivery stream's do. */
  private readonly fileName: string;
  private written = 0;
  private readonly createdDirs = new Set<string>();

  constructor(
    private readonly dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    const started = this.now().toISOString().replace(/[:.]/g, '-');
    this.fileName = `local-events-${started}-${process.pid}.ndjson`;
  }

  /** Appends every event; throws if the file cannot be written (never drops silently). */
  async put(events: readonly ConversationEvent[]): Promise<void> {
    if (events.length === 0) return;
    const write = this.append(events);
    this.pending.add(write);
    try {
      await write;
    } finally {
      this.pending.delete(write);
    }
  }

  /** Waits for every write in flight. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** Events written since start (for /v1/health). */
  get count(): number {
    return this.written;
  }

  /** Where events of a moment go. */
  fileFor(at: Date): string {
    return join(this.dataDir, partitionPath(at), this.fileName);
  }

  private async append(events: readonly ConversationEvent[]): Promise<void> {
    const file = this.fileFor(this.now());
    const dir = join(file, '..');
    if (!this.createdDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.createdDirs.add(dir);
    }
    await appendFile(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n', 'utf8');
    this.written += events.length;
  }
}

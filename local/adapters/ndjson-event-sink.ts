/**
 * EventSink port writing conversation events as NDJSON files in the layout Firehose writes to
 * the analytics bucket: `events/year=YYYY/month=MM/day=DD/hour=HH/` (UTC, from the arrival
 * time, as Firehose's `!{timestamp:...}` prefix does), one line per event. So the same
 * analytics queries (e.g. Athena over a partitioned table) can be tried on local files.
 *
 * The partition's file stays open for appending while events arrive (one open per partition, not
 * one per turn: opening and closing it per put was ~3% of the platform's CPU under load); writes
 * go one after the other, and the file is closed after a second without events, on the next
 * partition, and by close().
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
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
  /** The partition file open for appending, and the writes queued on it. */
  private current: { file: string; handle: Promise<FileHandle> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  /** Files opened so far (tests: one per partition, not one per put). */
  opens = 0;

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

  /** Waits for the writes in flight and closes the open file (a later put opens it again). */
  async close(): Promise<void> {
    await this.flush();
    await this.serialized(() => this.closeCurrent());
  }

  /** Events written since start (for /v1/health). */
  get count(): number {
    return this.written;
  }

  /** Where events of a moment go. */
  fileFor(at: Date): string {
    return join(this.dataDir, partitionPath(at), this.fileName);
  }

  private append(events: readonly ConversationEvent[]): Promise<void> {
    const lines = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const file = this.fileFor(this.now());
    return this.serialized(async () => {
      const handle = await this.handleFor(file);
      await handle.write(lines, null, 'utf8');
      this.written += events.length;
      this.closeWhenIdle();
    });
  }

  /** Runs one file operation after the ones before it (lines never interleave). */
  private serialized<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The open handle of `file`: the current one, or a new one (the previous partition's closed). */
  private async handleFor(file: string): Promise<FileHandle> {
    if (this.current?.file === file) {
      try {
        return await this.current.handle;
      } catch {
        this.current = undefined; // a failed open is tried again on the next put
      }
    }
    await this.closeCurrent();
    const dir = join(file, '..');
    if (!this.createdDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.createdDirs.add(dir);
    }
    const handle = open(file, 'a');
    this.opens += 1;
    this.current = { file, handle };
    return handle;
  }

  private closeWhenIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.serialized(() => this.closeCurrent()), IDLE_CLOSE_MS);
    this.idleTimer.unref();
  }

  private async closeCurrent(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const current = this.current;
    this.current = undefined;
    const handle = await current?.handle.catch(() => undefined);
    await handle?.close();
  }
}

/** A partition file with no events for this long is closed, ms. */
const IDLE_CLOSE_MS = 1000;

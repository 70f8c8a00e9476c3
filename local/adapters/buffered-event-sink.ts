/**
 * The local event sink's delivery guarantee: an event the target (the NDJSON files) does not take
 * is kept in a bounded in-memory buffer and retried with capped exponential backoff. What cannot
 * stay there goes to the dead-letter file (dead-letter.ts), which `npm run events:replay`
 * delivers later:
 *   - the buffer is full (`maxBuffered`): the new events go straight to the dead-letter file
 *     (back-pressure never slows the answer down, and memory stays bounded);
 *   - an event is still undelivered after `maxAgeMs` (a crash loses at most that window);
 *   - the platform stops while events are buffered (close()).
 * put() resolves once an event is delivered, buffered or dead-lettered; it throws an
 * EventDeliveryError naming the events (which the handler logs and counts as EventsFailed) only
 * when even the dead-letter file cannot be written.
 */
import { EventDeliveryError, eventId } from '../../src/fulfillment/errors';
import type { ConversationEvent, EventSink } from '../../src/ports';
import type { DeadLetterFile } from './dead-letter';

export interface BufferedEventSinkOptions {
  /** Events kept in memory for retrying. @default 10000 */
  readonly maxBuffered?: number;
  /** An event undelivered for this long is dead-lettered, ms. @default 30000 */
  readonly maxAgeMs?: number;
  /** First retry after this, doubling up to maxRetryDelayMs, ms. @default 100 */
  readonly retryDelayMs?: number;
  /** @default 2000 */
  readonly maxRetryDelayMs?: number;
  readonly now?: () => number;
  /** Where events that are lost for good are reported. @default console.error */
  readonly report?: (message: string) => void;
}

export interface EventSinkStats {
  /** Events the target took. */
  readonly delivered: number;
  /** Events waiting in memory for a retry. */
  readonly buffered: number;
  /** Events this process wrote to the dead-letter file. */
  readonly deadLettered: number;
  /** Events neither delivered nor dead-lettered (the dead-letter file could not be written). */
  readonly lost: number;
  /** The target's last answer failed. */
  readonly failing: boolean;
  readonly lastError?: string;
}

const BATCH = 500;

export class BufferedEventSink implements EventSink {
  private buffer: { event: ConversationEvent; since: number }[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private retrying: Promise<void> | undefined;
  private delay: number;
  private closed = false;
  private counts = { delivered: 0, deadLettered: 0, lost: 0 };
  private failing = false;
  private lastError: string | undefined;
  private readonly now: () => number;

  constructor(
    private readonly target: EventSink,
    private readonly deadLetter: DeadLetterFile,
    private readonly opts: BufferedEventSinkOptions = {},
  ) {
    this.delay = opts.retryDelayMs ?? 100;
    this.now = opts.now ?? Date.now;
  }

  async put(events: readonly ConversationEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.track(this.accept(events));
  }

  /** Waits for the writes in flight and retries the buffer once now (it stays buffered if that fails). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    if (this.buffer.length) await this.track(this.retryOnce());
  }

  /** flush(), then dead-letters what is still buffered; no retries after this. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const left = this.buffer.splice(0).map((b) => b.event);
    await this.toDeadLetter(left, 'undelivered at shutdown').catch(() => undefined);
  }

  get stats(): EventSinkStats {
    return {
      ...this.counts,
      buffered: this.buffer.length,
      failing: this.failing,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Events delivered since start (for /v1/health). */
  get count(): number {
    return this.counts.delivered;
  }

  private async accept(events: readonly ConversationEvent[]): Promise<void> {
    // while events wait, new ones queue behind them (a failing target is not hit per turn)
    if (this.buffer.length === 0 && !this.closed) {
      try {
        await this.target.put(events);
        this.delivered(events.length);
        return;
      } catch (err) {
        this.failed(err);
      }
    }
    await this.enqueue(events);
  }

  private async enqueue(events: readonly ConversationEvent[]): Promise<void> {
    const room = this.closed ? 0 : Math.max(0, (this.opts.maxBuffered ?? 10_000) - this.buffer.length);
    const since = this.now();
    for (const event of events.slice(0, room)) this.buffer.push({ event, since });
    this.schedule();
    await this.toDeadLetter(events.slice(room), this.closed ? 'sink closed' : 'retry buffer full');
  }

  private schedule(): void {
    if (this.timer || this.retrying || this.closed || this.buffer.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.track(this.retryOnce());
    }, this.delay);
    this.timer.unref();
  }

  /** One retry at a time (the timer's and flush()'s would deliver the same batch twice). */
  private retryOnce(): Promise<void> {
    this.retrying ??= this.retry().finally(() => {
      this.retrying = undefined;
      this.schedule();
    });
    return this.retrying;
  }

  /** Dead-letters what is too old, then tries the oldest batch again. */
  private async retry(): Promise<void> {
    const cutoff = this.now() - (this.opts.maxAgeMs ?? 30_000);
    const expired = this.buffer.findIndex((b) => b.since > cutoff);
    const old = this.buffer.splice(0, expired === -1 ? this.buffer.length : expired).map((b) => b.event);
    await this.toDeadLetter(old, 'undelivered after retries').catch(() => undefined);
    const batch = this.buffer.slice(0, BATCH);
    if (batch.length) {
      try {
        await this.target.put(batch.map((b) => b.event));
        this.buffer.splice(0, batch.length);
        this.delivered(batch.length);
        this.delay = 0; // more waiting: go on at once
      } catch (err) {
        this.failed(err);
        const base = this.opts.retryDelayMs ?? 100;
        this.delay = Math.min(Math.max(base, this.delay * 2), this.opts.maxRetryDelayMs ?? 2000);
      }
    }
  }

  private async toDeadLetter(events: readonly ConversationEvent[], reason: string): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.deadLetter.append(events, reason);
      this.counts.deadLettered += events.length;
    } catch (err) {
      this.counts.lost += events.length;
      const ids = events.map(eventId);
      (this.opts.report ?? console.error)(
        `[local] ${events.length} conversation event(s) lost: ${reason}, and the dead-letter file ${this.deadLetter.file} cannot be written (${(err as Error).message}): ${ids.join(', ')}`,
      );
      throw new EventDeliveryError(ids, (err as NodeJS.ErrnoException).code ?? (err as Error).name);
    }
  }

  private delivered(n: number): void {
    this.counts.delivered += n;
    this.failing = false;
    this.lastError = undefined;
  }

  private failed(err: unknown): void {
    this.failing = true;
    this.lastError = `${(err as Error).name}: ${(err as Error).message}`;
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    try {
      return await p;
    } finally {
      this.pending.delete(p);
    }
  }
}

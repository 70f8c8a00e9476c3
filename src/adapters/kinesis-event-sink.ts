/**
 * Conversation events to Kinesis Data Streams: PutRecords (partition key = conversationId),
 * failed records retried with capped exponential backoff, bounded attempts; what still fails
 * is thrown as an EventDeliveryError naming the events (the handler logs and counts them).
 */
import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { ConversationEvent } from '../ports';
import { EventDeliveryError, eventId } from '../fulfillment/errors';
import { abortAfter, sleep as realSleep } from '../util/timeout';

export interface KinesisEventSinkOptions {
  streamName: string;
  /** Attempts per record, first one included. @default 3 */
  maxAttempts?: number;
  /** Backoff before the n-th retry: base * 2^(n-1) with jitter, capped. @default 25 */
  baseDelayMs?: number;
  /** @default 200 */
  maxDelayMs?: number;
  /** Per-call timeout, ms. */
  timeoutMs?: number;
  /** Called with the number of records about to be retried (EventsRetried metric). */
  onRetry?: (records: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_RECORDS_PER_CALL = 500;

/** What goes on the stream: a turn's event or a feedback event, keyed by conversation. */
type StreamEvent = { readonly conversationId: string; readonly turn: number };

export class KinesisEventSink<E extends StreamEvent = ConversationEvent> {
  constructor(
    private readonly kinesis: KinesisClient,
    private readonly opts: KinesisEventSinkOptions,
  ) {
    if (!opts.streamName) throw new Error('streamName is required');
  }

  async put(events: readonly E[]): Promise<void> {
    const failures: string[] = [];
    let lastCode: string | undefined;
    for (let i = 0; i < events.length; i += MAX_RECORDS_PER_CALL) {
      const chunk = events.slice(i, i + MAX_RECORDS_PER_CALL);
      const result = await this.putChunk(chunk);
      failures.push(...result.failed);
      lastCode = result.lastCode ?? lastCode;
    }
    if (failures.length) throw new EventDeliveryError(failures, lastCode);
  }

  private async putChunk(events: readonly E[]): Promise<{ failed: string[]; lastCode?: string }> {
    const maxAttempts = Math.max(1, this.opts.maxAttempts ?? 3);
    const sleep = this.opts.sleep ?? realSleep;
    let pending: { id: string; entry: PutRecordsRequestEntry }[] = events.map((e) => ({
      id: eventId(e),
      entry: { Data: Buffer.from(JSON.stringify(e), 'utf8'), PartitionKey: e.conversationId },
    }));
    let lastCode: string | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1) {
        this.opts.onRetry?.(pending.length);
        const base = (this.opts.baseDelayMs ?? 25) * 2 ** (attempt - 2);
        await sleep(Math.min(this.opts.maxDelayMs ?? 200, base / 2 + Math.random() * (base / 2)));
      }
      try {
        const out = await this.kinesis.send(
          new PutRecordsCommand({ StreamName: this.opts.streamName, Records: pending.map((p) => p.entry) }),
          abortAfter(this.opts.timeoutMs),
        );
        if (!out.FailedRecordCount) return { failed: [] };
        const records = out.Records ?? [];
        const next = pending.filter((_, idx) => {
          const r = records[idx];
          if (r?.ErrorCode) lastCode = r.ErrorCode;
          return !r || !!r.ErrorCode;
        });
        pending = next;
        if (pending.length === 0) return { failed: [] };
      } catch (err) {
        lastCode = err instanceof Error ? err.name : 'Unknown';
      }
    }
    return { failed: pending.map((p) => p.id), lastCode };
  }
}

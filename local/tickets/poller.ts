/**
 * The local event source mapping of the ticket worker: a loop that long-polls the local queue,
 * hands each batch to the SAME worker handler Lambda runs (createTicketWorkerHandler, as an SQS
 * event with the records SQS would send), and deletes the records the handler did not report in
 * `batchItemFailures`, as Lambda's SQS event source does with ReportBatchItemFailures. A failed
 * record stays in the queue and comes back after the visibility timeout; a handler that throws
 * fails the whole batch the same way.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalTicketQueue, ReceivedMessage } from './queue';

export const LOCAL_QUEUE_ARN = 'arn:aws:sqs:local:000000000000:local-tickets';

export interface PollerOptions {
  /** Messages per invocation (config tickets.batchSize, at most 10 here). */
  readonly batchSize: number;
  /** Long-poll wait per receive, ms. @default 1000 */
  readonly waitMs?: number;
  /** Called when the handler throws (the batch returns to the queue). */
  readonly onError?: (err: unknown) => void;
}

export function sqsRecordOf(message: ReceivedMessage): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.attributes).map(([k, v]) => [
        k,
        { dataType: 'String', stringValue: v, stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: LOCAL_QUEUE_ARN,
    awsRegion: 'local',
  };
}

export class TicketQueuePoller {
  private running: Promise<void> | undefined;
  private stopping = false;
  private inFlight: Promise<unknown> = Promise.resolve();
  /** Invocations and their outcomes (tests, /v1/health). */
  readonly stats = { invocations: 0, recordsFailed: 0, handlerErrors: 0 };

  constructor(
    private readonly queue: LocalTicketQueue,
    private readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
    private readonly opts: PollerOptions,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Finishes the batch in hand, then stops polling. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    await this.inFlight;
  }

  /** Receives and processes one batch (the loop's step; tests call it directly). */
  async pollOnce(waitMs = 0): Promise<number> {
    const messages = await this.queue.receive(Math.min(10, Math.max(1, this.opts.batchSize)), waitMs);
    if (messages.length === 0) return 0;
    const batch = this.invoke(messages);
    this.inFlight = batch.catch(() => undefined);
    await batch;
    return messages.length;
  }

  private async invoke(messages: ReceivedMessage[]): Promise<void> {
    const records = messages.map(sqsRecordOf);
    this.stats.invocations += 1;
    let failed: Set<string>;
    try {
      const response = await this.handler({ Records: records });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      this.stats.handlerErrors += 1;
      this.opts.onError?.(err);
      failed = new Set(records.map((r) => r.messageId));
    }
    this.stats.recordsFailed += failed.size;
    for (const record of records) {
      if (!failed.has(record.messageId)) this.queue.delete(record.receiptHandle);
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.pollOnce(this.opts.waitMs ?? 1000);
      } catch (err) {
        this.opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}

/**
 * The ticket queue on Amazon SQS (a standard queue, KMS-encrypted: lib/constructs/ticket-queue.ts).
 * The SDK is loaded and the client created on the first ticket turn (the `tickets` chunk), so
 * the fulfillment's cold start does not grow.
 *
 * Standard queues have no message deduplication: delivery is at least once, and a retried turn
 * sends the same request again. Idempotency lives in the worker (put if absent on `ticketId`,
 * which the request derives from its idempotency key). The body is the `TicketRequest` (no raw
 * PII, contracts/tickets.ts); the message attributes carry only its kind, category and schema
 * version, for filtering and diagnostics.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { TicketRequest } from '../../contracts/tickets';
import { type Chunks, fromChunk } from '../chunks';
import type { TicketQueue } from '../ports';

export type TicketsModule = Chunks['tickets'];

export class SqsTicketQueue implements TicketQueue {
  private readonly client: () => Promise<{
    client: SQSClient;
    Command: TicketsModule['SendMessageCommand'];
  }>;

  /**
   * @param createClient builds the client (e.g. wrapped by the tracer); called once, lazily.
   * @param opts.queueUrl the queue (env TICKET_QUEUE_URL).
   * @param opts.load loads the SQS SDK. @default the `tickets` chunk
   */
  constructor(
    createClient: (mod: TicketsModule) => SQSClient,
    private readonly opts: { queueUrl: string; load?: () => Promise<TicketsModule> },
  ) {
    if (!opts.queueUrl) throw new Error('queueUrl is required');
    this.client = fromChunk(
      'tickets',
      (mod) => ({ client: createClient(mod), Command: mod.SendMessageCommand }),
      opts.load,
    );
  }

  async enqueue(request: TicketRequest, signal?: AbortSignal): Promise<void> {
    const { client, Command } = await this.client();
    const out = await client.send(
      new Command({
        QueueUrl: this.opts.queueUrl,
        MessageBody: JSON.stringify(request),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: request.kind },
          category: { DataType: 'String', StringValue: request.category },
          schemaVersion: { DataType: 'Number', StringValue: String(request.schemaVersion) },
        },
      }),
      signal ? { abortSignal: signal } : {},
    );
    if (!out.MessageId) throw new Error('SQS SendMessage returned no MessageId');
  }
}

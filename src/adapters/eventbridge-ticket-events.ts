/**
 * Ticket events on the stage's EventBridge bus: one `TicketCreated` per ticket (source
 * `conversational-platform.tickets`), detail without text (ids and classification; subscribers
 * read the ticket through the desk API). PutEvents reports a rejected entry in its response,
 * not as an error: that is turned into one, so the worker retries the message.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { TICKET_CREATED, TICKET_EVENT_SOURCE, type TicketCreatedDetail } from '../../contracts/tickets';
import type { TicketEvents } from '../ports';
import { abortAfter } from '../util/timeout';

export class TicketEventRejectedError extends Error {
  override readonly name = 'TicketEventRejectedError';
}

export class EventBridgeTicketEvents implements TicketEvents {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly opts: { busName: string; timeoutMs?: number },
  ) {
    if (!opts.busName) throw new Error('busName is required');
  }

  async publish(detail: TicketCreatedDetail): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.opts.busName,
            Source: TICKET_EVENT_SOURCE,
            DetailType: TICKET_CREATED,
            Detail: JSON.stringify(detail),
            Time: new Date(detail.createdAt),
          },
        ],
      }),
      abortAfter(this.opts.timeoutMs),
    );
    const entry = out.Entries?.[0];
    if ((out.FailedEntryCount ?? 0) > 0 || !entry?.EventId) {
      throw new TicketEventRejectedError(
        `TicketCreated not accepted by the bus: ${entry?.ErrorCode ?? 'no event id'}`,
      );
    }
  }
}

/**
 * The ticket worker's work on one SQS record, as named steps:
 *
 *   parseTicketRequest   the body -> TicketRequest (invalid: the record fails, DLQ after N receives)
 *   readHistory          the conversation's recent turns (context table Query)
 *   buildTicket          the ticket record (priority table, redacted transcript; no I/O)
 *   storeTicket          put if absent on the ticket id: 'created', or the stored ticket of an
 *                        earlier delivery ('duplicate', counted TicketDuplicates, acknowledged)
 *   publishOnce          `TicketCreated` unless the stored ticket says it was published, then
 *                        the `publishedAt` flag
 *
 * Idempotency: SQS standard queues deliver at least once and the fulfillment may send the same
 * request twice (a retried turn): the ticket id is the hash of the request's idempotency key, so
 * the conditional put writes one ticket whatever the number of deliveries. A crash between the put
 * and the publish leaves the flag unset: the redelivery publishes. A crash between the publish and
 * the flag (a window of one DynamoDB call) publishes twice; subscribers dedupe on `ticketId`.
 * Any failure throws: the record is reported as a batch item failure and redelivered.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Metric, type MetricName } from '../../../contracts/metrics';
import type { Ticket, TicketRequest } from '../../../contracts/tickets';
import type { ConversationHistory, TicketEvents, TicketStore, TurnRecord } from '../../ports';
import { buildTicket, DEFAULT_TRANSCRIPT_TURNS, ticketCreatedOf } from './build';
import { parseTicketRequest } from './parse';

export interface TicketWorkerDeps {
  readonly store: TicketStore;
  readonly events: TicketEvents;
  readonly history: ConversationHistory;
  readonly logger: Logger;
  count(name: MetricName, value?: number): void;
  /** Turns the transcript keeps. @default DEFAULT_TRANSCRIPT_TURNS */
  readonly transcriptTurns?: number;
  readonly now?: () => number;
}

/** Two idempotency keys hashed to one ticket id: never merged; the record fails (DLQ) to be looked at. */
export class TicketIdCollisionError extends Error {
  override readonly name = 'TicketIdCollisionError';
}

export type RecordOutcome = 'created' | 'duplicate';

const nowIso = (deps: TicketWorkerDeps): string => new Date((deps.now ?? Date.now)()).toISOString();

export function readHistory(deps: TicketWorkerDeps, request: TicketRequest): Promise<readonly TurnRecord[]> {
  return deps.history.recentTurns(request.conversationId, deps.transcriptTurns ?? DEFAULT_TRANSCRIPT_TURNS);
}

/** Writes the ticket once; returns the ticket as stored and whether this delivery wrote it. */
export async function storeTicket(
  deps: TicketWorkerDeps,
  ticket: Ticket,
): Promise<{ outcome: RecordOutcome; stored: Ticket }> {
  if ((await deps.store.putIfAbsent(ticket)) === 'created') {
    deps.count(Metric.TicketsCreated);
    return { outcome: 'created', stored: ticket };
  }
  const stored = await deps.store.get(ticket.ticketId);
  if (!stored) throw new Error(`ticket ${ticket.ticketId} exists but could not be read`);
  if (stored.idempotencyKey !== ticket.idempotencyKey) {
    throw new TicketIdCollisionError(`ticket id ${ticket.ticketId} is taken by another request`);
  }
  deps.count(Metric.TicketDuplicates);
  return { outcome: 'duplicate', stored };
}

/** Publishes `TicketCreated` unless the stored ticket was already published; then sets the flag. */
export async function publishOnce(deps: TicketWorkerDeps, stored: Ticket): Promise<boolean> {
  if (stored.publishedAt) return false;
  await deps.events.publish(ticketCreatedOf(stored));
  await deps.store.markPublished(stored.ticketId, nowIso(deps));
  return true;
}

export async function processTicketRecord(deps: TicketWorkerDeps, body: string): Promise<RecordOutcome> {
  const request = parseTicketRequest(body);
  const history = await readHistory(deps, request);
  const ticket = buildTicket(request, history, nowIso(deps), deps.transcriptTurns);
  const { outcome, stored } = await storeTicket(deps, ticket);
  const published = await publishOnce(deps, stored);
  deps.logger.info(outcome === 'created' ? 'ticket created' : 'ticket request delivered again', {
    ticketId: stored.ticketId,
    category: stored.category,
    priority: stored.priority,
    published,
  });
  return outcome;
}

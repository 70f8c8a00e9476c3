/**
 * Step 1 of the worker, per record: the SQS body as a `TicketRequest` (contracts/tickets.ts), or
 * an InvalidTicketRequestError naming the field. An invalid body is a failed record: SQS
 * redelivers it and, after `maxReceives`, moves it to the dead-letter queue, where it is kept to
 * be looked at (never dropped).
 */
import * as v from 'valibot';
import { LOCALES } from '../../../contracts/bot-model/types';
import {
  TICKET_CATEGORIES,
  TICKET_REFERENCE_PATTERN,
  type TicketRequest,
  ticketReferenceOf,
} from '../../../contracts/tickets';

export class InvalidTicketRequestError extends Error {
  override readonly name = 'InvalidTicketRequestError';
}

const Sentiment = v.picklist(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED']);
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Timestamp = v.pipe(v.string(), v.isoTimestamp());

const TicketRequestSchema = v.object({
  schemaVersion: v.literal(1),
  idempotencyKey: v.pipe(v.string(), v.minLength(3), v.maxLength(220)),
  ticketId: v.pipe(v.string(), v.regex(TICKET_REFERENCE_PATTERN)),
  reference: v.pipe(v.string(), v.regex(TICKET_REFERENCE_PATTERN)),
  kind: v.picklist(['issue', 'handoff']),
  conversationId: Id,
  turn: v.pipe(v.number(), v.integer(), v.minValue(1)),
  customerId: Id,
  category: v.picklist(TICKET_CATEGORIES),
  locale: v.picklist(LOCALES),
  language: v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/)),
  channel: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}$/)),
  sentimentTrend: v.pipe(v.array(Sentiment), v.maxLength(20)),
  current: v.object({
    turn: v.pipe(v.number(), v.integer(), v.minValue(1)),
    intent: Id,
    sentiment: v.optional(Sentiment),
    text: v.optional(v.pipe(v.string(), v.maxLength(4000))),
    timestamp: Timestamp,
  }),
  requestedAt: Timestamp,
});

export function parseTicketRequest(body: string): TicketRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidTicketRequestError('ticket request: body is not JSON');
  }
  const parsed = v.safeParse(TicketRequestSchema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const field = (issue.path ?? []).map((p) => String(p.key)).join('.') || '(body)';
    throw new InvalidTicketRequestError(
      `ticket request: ${field} is invalid (${issue.expected ?? issue.type})`,
    );
  }
  const request = parsed.output as TicketRequest;
  // The id is the key's hash: a body whose id does not match it would defeat the idempotency.
  const expected = ticketReferenceOf(request.idempotencyKey);
  if (request.ticketId !== expected || request.reference !== expected) {
    throw new InvalidTicketRequestError('ticket request: ticketId does not match its idempotencyKey');
  }
  return request;
}

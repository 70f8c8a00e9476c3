/**
 * Step 3b of a ticket turn (a ticket intent fulfilled, or a sentiment hand-off; dialog.ts
 * `Decision.ticket`): the ticket request goes on the queue, and only then does the answer give
 * its reference and what the support desk commits to (config `SUPPORT_DESK`). One sequential
 * round trip (the enqueue), on ticket turns only; every other turn passes through untouched.
 *
 * The reference is derived from the idempotency key (conversation id + turn): a retried turn
 * (same turn number from Lex's committed attributes) sends the same request again and gets the
 * same reference, and the worker writes the ticket once (put if absent on the ticket id).
 *
 * When the request could not be enqueued (queue unreachable, timeout, no queue configured) the
 * answer says so and what to do instead, never a reference; the turn is counted
 * (TicketRequestFailed, a degradation of the turn's event) and is not marked escalated, so a
 * later turn can still hand over.
 */
import { createHash } from 'node:crypto';
import type { LocaleId } from '../../../contracts/bot-model/types';
import {
  type SupportDeskSettings,
  TICKET_CATEGORIES,
  type TicketCategory,
  type TicketRequest,
  ticketIdempotencyKey,
  ticketReferenceOf,
} from '../../../contracts/tickets';
import { Metric } from '../../../contracts/metrics';
import type { LexMessage } from '../../lex/types';
import { redact } from '../../redact';
import { withTimeout } from '../../util/timeout';
import { fillTemplate, hasTicketPlaceholder, type TicketNeed } from '../dialog';
import type { Answer } from './answer';
import type { TurnInput } from './input';
import { attempt, type Degradation, type TurnContext } from './outcome';
import type { Understanding } from './understand';

export interface TicketStep {
  /** The request on the queue, when this turn registered one. */
  readonly registered?: TicketRequest;
  /** The turn asked for a ticket and none could be registered. */
  readonly failed: boolean;
  /** The answer, with the ticket placeholders filled (or the ticket messages replaced). */
  readonly messages: LexMessage[];
  /** The turn's answer, no longer escalated when its hand-off could not be registered. */
  readonly answer: Answer;
  readonly degradations: Degradation[];
}

class TicketsNotConfigured extends Error {
  override readonly name = 'TicketsNotConfigured';
}

/** A customer id with no raw PII: the user id as the channel gave it, or a hash when it looks like an address. */
export function customerIdOf(input: Pick<TurnInput, 'userId' | 'conversationId'>): string {
  const id = input.userId;
  if (!id) return input.conversationId;
  return id.includes('@') || redact(id) !== id
    ? `u-${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 32)}`
    : id;
}

const categoryOf = (need: TicketNeed): TicketCategory =>
  (TICKET_CATEGORIES as readonly string[]).includes(need.category)
    ? (need.category as TicketCategory)
    : 'other';

/** The queue message of a ticket turn (no raw text: `current.text` is redacted and only when allowed). */
export function ticketRequestOf(
  ctx: TurnContext,
  input: TurnInput,
  understanding: Understanding,
  answer: Answer,
  need: TicketNeed,
): TicketRequest {
  const idempotencyKey = ticketIdempotencyKey(input.conversationId, answer.turn);
  const reference = ticketReferenceOf(idempotencyKey);
  const timestamp = new Date(ctx.now()).toISOString();
  const sentiment = understanding.sentiment?.label;
  return {
    schemaVersion: 1,
    idempotencyKey,
    ticketId: reference,
    reference,
    kind: need.kind,
    conversationId: input.conversationId,
    turn: answer.turn,
    customerId: customerIdOf(input),
    category: categoryOf(need),
    locale: input.locale,
    language: understanding.language,
    channel: input.channel,
    sentimentTrend: [...answer.trend],
    current: {
      turn: answer.turn,
      intent: answer.decision.intentName,
      ...(sentiment ? { sentiment } : {}),
      ...(ctx.deps.config.streamTranscripts && input.text ? { text: input.text } : {}),
      timestamp,
    },
    requestedAt: timestamp,
  };
}

/** The desk's words for the ticket placeholders in this locale. */
function deskValues(desk: SupportDeskSettings, locale: LocaleId, reference: string): Record<string, string> {
  return {
    TicketReference: reference,
    SupportHours: desk.hours[locale],
    FirstResponseHours: String(desk.firstResponseHours),
    ...(desk.contact ? { SupportContact: desk.contact[locale] } : {}),
  };
}

export async function registerTicket(
  ctx: TurnContext,
  input: TurnInput,
  understanding: Understanding,
  answer: Answer,
): Promise<TicketStep> {
  const { decision } = answer;
  const need = decision.ticket;
  if (!need) return { failed: false, messages: decision.messages, answer, degradations: [] };
  const { tickets, config, model } = ctx.deps;
  const desk = config.supportDesk;
  const request = ticketRequestOf(ctx, input, understanding, answer, need);
  const outcome =
    tickets && desk
      ? await attempt<void>(() =>
          withTimeout('ticket enqueue', ctx.budget, (signal) => tickets.enqueue(request, signal)),
        )
      : ({
          ok: false,
          error: new TicketsNotConfigured('no ticket queue or support desk configured'),
        } as const);

  if (outcome.ok) {
    const values = deskValues(desk!, input.locale, request.reference);
    ctx.count(Metric.TicketsRequested);
    ctx.log.info('ticket requested', {
      ticketId: request.ticketId,
      kind: need.kind,
      category: request.category,
    });
    return {
      registered: request,
      failed: false,
      messages: decision.messages.map((m) => ({ ...m, content: fillTemplate(m.content, values) })),
      answer,
      degradations: [],
    };
  }

  // Never a reference that does not exist: the messages that would give one are replaced.
  const unavailable: LexMessage[] = [
    { contentType: 'PlainText', content: model.messages.ticketUnavailable[input.locale] },
  ];
  if (desk?.contact) {
    unavailable.push({
      contentType: 'PlainText',
      content: fillTemplate(model.messages.supportContact[input.locale], deskValues(desk, input.locale, '')),
    });
  }
  const kept = decision.messages.filter((m) => !hasTicketPlaceholder(m.content));
  return {
    failed: true,
    messages: [...kept, ...unavailable],
    answer: {
      ...answer,
      escalated: answer.alreadyEscalated,
      sentimentEscalation: false,
      decision: { ...decision, escalate: false },
    },
    degradations: [{ metric: Metric.TicketRequestFailed, error: outcome.error, what: 'ticket enqueue' }],
  };
}

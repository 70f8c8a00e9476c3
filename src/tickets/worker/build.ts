/**
 * Step 2 of the worker: the ticket record of a request (no I/O). The transcript is the
 * conversation's recent turns as the context table keeps them (intent, sentiment, timestamps,
 * and the user's redacted text only when the environment allows transcripts, config
 * `bot.streamTranscripts`: the fulfillment writes `text` on the turn item only then), plus the
 * ticket turn itself from the request (its context write may land after the worker reads). Status
 * `open`, version 1, not yet published.
 */
import type { Ticket, TicketCreatedDetail, TicketRequest, TranscriptTurn } from '../../../contracts/tickets';
import type { TurnRecord } from '../../ports';
import { redact } from '../../redact';
import { priorityOf } from './priority';

/** Turns the transcript keeps by default (env TICKET_TRANSCRIPT_TURNS). */
export const DEFAULT_TRANSCRIPT_TURNS = 20;

const transcriptTurnOf = (record: TurnRecord): TranscriptTurn => ({
  turn: record.turn,
  intent: record.intent,
  ...(record.sentiment ? { sentiment: record.sentiment } : {}),
  // Redacted when written; redacted again so a record written by an older version is safe too.
  ...(record.text ? { text: redact(record.text) } : {}),
  timestamp: record.timestamp,
});

/** The conversation's turns up to and including the ticket turn, oldest first, at most `limit`. */
export function transcriptOf(
  request: TicketRequest,
  history: readonly TurnRecord[],
  limit: number,
): TranscriptTurn[] {
  const byTurn = new Map<number, TranscriptTurn>();
  for (const record of history) {
    if (record.turn <= request.turn) byTurn.set(record.turn, transcriptTurnOf(record));
  }
  const current = request.current;
  byTurn.set(current.turn, {
    ...(byTurn.get(current.turn) ?? {}),
    ...current,
    ...(current.text ? { text: redact(current.text) } : {}),
  });
  return [...byTurn.values()].sort((a, b) => a.turn - b.turn).slice(-Math.max(1, limit));
}

export function buildTicket(
  request: TicketRequest,
  history: readonly TurnRecord[],
  now: string,
  transcriptTurns = DEFAULT_TRANSCRIPT_TURNS,
): Ticket {
  const transcript = transcriptOf(request, history, transcriptTurns);
  return {
    ticketId: request.ticketId,
    reference: request.reference,
    source: 'conversation',
    kind: request.kind,
    idempotencyKey: request.idempotencyKey,
    conversationId: request.conversationId,
    customerId: request.customerId,
    category: request.category,
    priority: priorityOf(request.category, request.sentimentTrend),
    transcript,
    intents: transcript.map((t) => t.intent),
    sentimentTrend: [...request.sentimentTrend],
    status: 'open',
    channel: request.channel,
    locale: request.locale,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The `TicketCreated` detail of a ticket: ids and classification, no text. */
export function ticketCreatedOf(ticket: Ticket): TicketCreatedDetail {
  return {
    schemaVersion: 1,
    ticketId: ticket.ticketId,
    reference: ticket.reference,
    source: ticket.source,
    ...(ticket.kind ? { kind: ticket.kind } : {}),
    ...(ticket.conversationId ? { conversationId: ticket.conversationId } : {}),
    customerId: ticket.customerId,
    category: ticket.category,
    priority: ticket.priority,
    channel: ticket.channel,
    ...(ticket.locale ? { locale: ticket.locale } : {}),
    createdAt: ticket.createdAt,
  };
}

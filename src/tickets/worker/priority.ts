/**
 * A ticket's priority, from its category and the conversation's sentiment (docs/tickets.md,
 * "Priority"). Base priority by category:
 *
 *   category    base      why
 *   damaged     high      a broken product the customer already paid for
 *   account     high      a customer locked out cannot help themselves
 *   billing     normal
 *   delivery    normal
 *   technical   normal
 *   agent       normal    the customer asked for a person (or was handed over)
 *   other       low
 *
 * then raised by the conversation's sentiment trend (newest last): +2 levels on a negative streak
 * (2 of the last 3 turns NEGATIVE, the latest too: the same rule that hands a conversation over),
 * +1 when only the latest turn is NEGATIVE (or MIXED), capped at `urgent`. Positive or neutral
 * sentiment never lowers it.
 */
import type { SentimentLabel } from '../../../contracts/conversation-event';
import { TICKET_PRIORITIES, type TicketCategory, type TicketPriority } from '../../../contracts/tickets';
import { negativeStreak } from '../../fulfillment/dialog';

export const BASE_PRIORITY: Readonly<Record<TicketCategory, TicketPriority>> = {
  damaged: 'high',
  account: 'high',
  billing: 'normal',
  delivery: 'normal',
  technical: 'normal',
  agent: 'normal',
  other: 'low',
};

/** Levels the sentiment trend adds to the base priority. */
export function sentimentBoost(trend: readonly SentimentLabel[]): number {
  if (negativeStreak(trend)) return 2;
  const latest = trend.at(-1);
  return latest === 'NEGATIVE' || latest === 'MIXED' ? 1 : 0;
}

export function priorityOf(category: TicketCategory, trend: readonly SentimentLabel[]): TicketPriority {
  const base = TICKET_PRIORITIES.indexOf(BASE_PRIORITY[category]);
  const level = Math.min(base + sentimentBoost(trend), TICKET_PRIORITIES.length - 1);
  return TICKET_PRIORITIES[level]!;
}

/**
 * Feedback on one answer, recorded: stored with the turn it rates (the redacted comment, never
 * the raw one), emitted as a `FeedbackEvent` on the conversation stream (no comment text), and
 * measured (FeedbackReceived, FeedbackHelpful / FeedbackNotHelpful, FeedbackRating) for the
 * helpful rate and CSAT on the dashboard. One feedback per answer: a second one for the same turn
 * is refused (the first stays), so the helpful rate counts each answer once.
 *
 * Nothing is lost on failure: the store is the record of truth and is written first (its failure
 * fails the request, 503, and the client retries); an event that could not be written after a
 * stored feedback is counted (EventsFailed) and logged, the feedback itself is kept.
 */
import type { FeedbackRequest } from '../../contracts/conversation-api';
import type { FeedbackEvent } from '../../contracts/conversation-event';
import { Metric, type MetricName } from '../../contracts/metrics';
import { redact } from '../redact';
import type { FeedbackEvents, FeedbackStore, StoredFeedback } from '../ports';
import type { InvocationLog } from '../util/invocation-log';

export interface FeedbackDeps {
  readonly store: FeedbackStore;
  readonly events: FeedbackEvents;
  /** Adds a metric (Count unless `unit` says otherwise). */
  readonly count: (name: MetricName, value?: number, unit?: 'Count' | 'None') => void;
  readonly now?: () => number;
}

export interface FeedbackInput {
  readonly conversationId: string;
  readonly channel: string;
  readonly request: FeedbackRequest;
}

export type FeedbackOutcome = 'accepted' | 'no-such-turn' | 'duplicate';

export async function recordFeedback(
  deps: FeedbackDeps,
  log: InvocationLog,
  { conversationId, channel, request }: FeedbackInput,
): Promise<FeedbackOutcome> {
  const timestamp = new Date((deps.now ?? Date.now)()).toISOString();
  const feedback: StoredFeedback = {
    helpful: request.helpful,
    ...(request.rating !== undefined ? { rating: request.rating } : {}),
    ...(request.comment ? { comment: redact(request.comment) } : {}),
    at: timestamp,
  };
  const stored = await deps.store.attach(conversationId, request.turn, feedback);
  if (stored !== 'stored') return stored;

  deps.count(Metric.FeedbackReceived);
  deps.count(request.helpful ? Metric.FeedbackHelpful : Metric.FeedbackNotHelpful);
  if (request.rating !== undefined) deps.count(Metric.FeedbackRating, request.rating, 'None');
  const event: FeedbackEvent = {
    schemaVersion: 1,
    type: 'feedback',
    conversationId,
    turn: request.turn,
    helpful: request.helpful,
    rating: request.rating ?? null,
    hasComment: feedback.comment !== undefined,
    channel,
    timestamp,
  };
  try {
    await deps.events.put([event]);
  } catch (err) {
    deps.count(Metric.EventsFailed);
    log.warn('feedback event not written (the feedback is stored)', { errorName: (err as Error)?.name });
  }
  log.info('feedback recorded', { turn: request.turn, helpful: request.helpful });
  return 'accepted';
}

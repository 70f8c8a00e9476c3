/**
 * Step 3 of a turn, no I/O: the turn number, the sentiment trend, whether to escalate, and the
 * dialog decision (src/fulfillment/dialog.ts), from Lex's attributes and the stored session.
 */
import type { BotModel } from '../../../contracts/bot-model/types';
import type { SentimentLabel } from '../../ports';
import { decide, type Decision, negativeStreak, nextSentimentTrend } from '../dialog';
import type { TurnInput } from './input';
import type { SessionRead, Understanding } from './understand';

export interface Answer {
  readonly turn: number;
  readonly trend: SentimentLabel[];
  /** Escalated on an earlier turn (Redis or Lex's attributes say so). */
  readonly alreadyEscalated: boolean;
  /** Repeated negative sentiment escalates this turn. */
  readonly sentimentEscalation: boolean;
  /** Escalated now or before. */
  readonly escalated: boolean;
  readonly decision: Decision;
}

export function answerTurn(
  model: BotModel,
  input: TurnInput,
  session: SessionRead,
  understanding: Understanding,
): Answer {
  const { fromAttrs } = input;
  const { stored } = session;
  // Lex's committed attributes win for the turn number: a retried invocation (whose answer
  // never reached Lex) gets the same turn, so the conditional context write spots it.
  const previous = fromAttrs ?? stored;
  const turn = (previous?.turn ?? stored?.turn ?? 0) + 1;
  const trend = nextSentimentTrend(
    stored?.sentimentTrend ?? fromAttrs?.sentimentTrend ?? [],
    understanding.sentiment?.label,
  );
  const alreadyEscalated = (stored?.escalated ?? false) || (fromAttrs?.escalated ?? false);
  const sentimentEscalation = !alreadyEscalated && negativeStreak(trend);
  const decision = decide({
    model,
    locale: input.locale,
    invocationSource: input.invocationSource,
    intent: input.intent,
    turn,
    sentimentEscalation,
    alreadyEscalated,
  });
  return {
    turn,
    trend,
    alreadyEscalated,
    sentimentEscalation,
    escalated: alreadyEscalated || decision.escalate,
    decision,
  };
}

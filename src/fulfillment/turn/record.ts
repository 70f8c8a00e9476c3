/**
 * Step 6 of a turn: what the writes' outcomes mean (degradations; undelivered events logged at
 * error with their ids and counted), then the turn's metrics and its log line.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { Metric } from '../../../contracts/metrics';
import { EventDeliveryError } from '../errors';
import { type DegradedLog, degradationOf, errorName, type TurnContext } from './outcome';
import type { Writes } from './persist';
import type { AnsweredTurn } from './state';

/** Notes the failed writes; returns the URL of the turn's audio, if it was synthesized. */
export function noteWrites(
  ctx: TurnContext,
  log: DegradedLog,
  turn: AnsweredTurn,
  writes: Writes,
): string | undefined {
  const { log: logger } = ctx;
  const { context, session, events, speech } = writes;
  log.note(degradationOf(context, Metric.ContextStoreUnavailable, 'context put'));
  if (context.ok && context.value === 'duplicate') logger.info('turn already recorded (retried invocation)');
  if (!log.has(Metric.SessionStoreUnavailable)) {
    log.note(degradationOf(session, Metric.SessionStoreUnavailable, 'session put'));
  }
  if (!events.ok) {
    const err = events.error;
    const failedIds =
      err instanceof EventDeliveryError ? err.eventIds : [`${turn.input.conversationId}#${turn.answer.turn}`];
    ctx.count(Metric.EventsFailed, failedIds.length);
    log.add(Metric.EventsFailed);
    logger.error('conversation events not delivered after retries', {
      eventIds: failedIds,
      errorName: errorName(err),
    });
  }
  log.note(degradationOf(speech, Metric.SpeechUnavailable, 'speech'));
  return speech?.ok ? speech.value.audioUrl : undefined;
}

/** The turn's metrics (counts, NLU confidence, latency since `started`) and its log lines. */
export function recordTurn(ctx: TurnContext, log: DegradedLog, turn: AnsweredTurn, started: number): void {
  const { metrics } = ctx.deps;
  const { log: logger } = ctx;
  const { input, understanding, answer } = turn;
  const { decision } = answer;
  const sentiment = understanding.sentiment?.label;
  ctx.count(Metric.Turns);
  ctx.count(decision.fallback ? Metric.FallbackTurns : Metric.RecognizedTurns);
  if (input.topConfidence !== undefined && input.topConfidence !== null) {
    metrics.addMetric(Metric.NluConfidence, MetricUnit.NoUnit, input.topConfidence);
  }
  if (sentiment === 'NEGATIVE') ctx.count(Metric.NegativeSentiment);
  if (decision.escalate && !answer.alreadyEscalated) {
    ctx.count(Metric.Escalations);
    logger.info('conversation escalated to an agent', {
      reason: answer.sentimentEscalation ? 'sentiment' : 'intent',
    });
  }
  const { knowledge } = turn;
  if (knowledge) {
    // KnowledgeUnavailable is counted with the turn's degradations.
    if (knowledge.outcome === 'answered') ctx.count(Metric.KnowledgeAnswered);
    if (knowledge.outcome === 'no-answer') ctx.count(Metric.KnowledgeNoAnswer);
    if (knowledge.outcome === 'blocked') ctx.count(Metric.GuardrailIntervened);
    metrics.addMetric(Metric.KnowledgeLatency, MetricUnit.Milliseconds, knowledge.latencyMs);
  }
  metrics.addMetric(Metric.TurnLatency, MetricUnit.Milliseconds, Math.max(0, ctx.now() - started));
  logger.info('turn handled', {
    invocationSource: input.invocationSource,
    intent: decision.intentName,
    nluConfidence: input.nluConfidence,
    fallback: decision.fallback,
    dialogAction: decision.dialogAction,
    sentiment,
    language: understanding.language,
    channel: input.channel,
    inputMode: input.inputMode,
    degraded: log.list(),
    ...(decision.invalidSlot ? { invalidSlot: decision.invalidSlot } : {}),
    source: knowledge?.source ?? 'intent',
    // Flags and counts only: never the question, the answer or what a guardrail blocked.
    ...(knowledge
      ? {
          knowledge: {
            outcome: knowledge.outcome,
            language: knowledge.language,
            latencyMs: knowledge.latencyMs,
            citations: knowledge.citations.length,
            ...(knowledge.reason ? { reason: knowledge.reason } : {}),
            ...(knowledge.guardrail ? { guardrail: knowledge.guardrail } : {}),
          },
        }
      : {}),
  });
}

/**
 * The fulfillment logic of one Lex V2 code-hook invocation, with every dependency injected
 * (FulfillmentDeps: AWS adapters in Lambda, embedded stand-ins in the local platform, fakes in
 * tests; src/fulfillment/compose.ts wires the first two). This file is the event boundary:
 * validate the event (an invalid one is logged, counted and answered with ElicitIntent), run
 * the turn (src/fulfillment/turn: its steps and the hot path's two round trips), answer even
 * when the turn has a defect, and publish the metrics of every invocation.
 */
import * as v from 'valibot';
import { isLocaleId, type LocaleId } from '../../contracts/bot-model/types';
import { Metric } from '../../contracts/metrics';
import { LexV2EventSchema, type LexV2CodeHookResponse, type LexV2Event } from '../lex/types';
import { redact } from '../redact';
import { InvocationLog } from '../util/invocation-log';
import type { FulfillmentDeps } from './deps';
import { annotateConversation, inTurnSubsegment } from './trace';
import { handleTurn } from './turn';
import { errorName, forInvocation, type TurnContext, turnContext } from './turn/outcome';

export type { FulfillmentConfig, FulfillmentDeps } from './deps';

export type FulfillmentHandler = (event: unknown) => Promise<LexV2CodeHookResponse>;

/** Why an event was rejected: logged and counted, no values from the event. */
export function classifyInvalidEvent(event: unknown): { kind: string; issues: string[] } {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    return { kind: 'NotAnObject', issues: [] };
  }
  const parsed = v.safeParse(LexV2EventSchema, event);
  const issues = parsed.success
    ? []
    : parsed.issues.slice(0, 10).map((i) => `${(i.path ?? []).map((p) => p.key).join('.')}: ${i.type}`);
  const looksLikeLex = 'sessionState' in event || 'invocationSource' in event || 'bot' in event;
  return { kind: looksLikeLex ? 'InvalidLexV2Event' : 'NotALexV2Event', issues };
}

function localeOfUnknown(event: unknown, fallback: LocaleId): LocaleId {
  const localeId = (event as { bot?: { localeId?: unknown } } | null)?.bot?.localeId;
  return isLocaleId(localeId) ? localeId : fallback;
}

export function createFulfillmentHandler(deps: FulfillmentDeps): FulfillmentHandler {
  const { logger, metrics } = deps;
  const ctx = turnContext(deps);

  function invalidEventResponse(event: unknown): LexV2CodeHookResponse {
    const { kind, issues } = classifyInvalidEvent(event);
    ctx.count(Metric.InvalidEvents);
    logger.error('rejected code-hook event', { errorClass: kind, issues });
    const locale = localeOfUnknown(event, deps.config.locales[0] ?? 'en_US');
    return {
      sessionState: { dialogAction: { type: 'ElicitIntent' } },
      messages: [{ contentType: 'PlainText', content: deps.model.messages.sorry[locale] }],
    };
  }

  /**
   * A defect, not a dependency failure (those degrade inside the turn): counted (TurnDefects,
   * alarmed), logged at error with what the error is (its name, its message redacted and cut
   * short, where it was thrown; never the turn's text), and still answered.
   */
  function defectResponse(turnCtx: TurnContext, event: LexV2Event, err: unknown): LexV2CodeHookResponse {
    turnCtx.count(Metric.TurnDefects);
    turnCtx.log.error('turn failed', defectDetails(err));
    turnCtx.trace.annotate({ defect: true });
    return {
      sessionState: {
        sessionAttributes: { ...(event.sessionState.sessionAttributes ?? {}) },
        dialogAction: { type: 'ElicitIntent' },
      },
      messages: [{ contentType: 'PlainText', content: deps.model.messages.sorry[event.bot.localeId] }],
    };
  }

  /** One valid event: its own log and trace, the turn, and the answer to a defect. */
  function turn(event: LexV2Event): Promise<LexV2CodeHookResponse> {
    const { sessionId, bot } = event;
    const log = new InvocationLog(logger, { sessionId, locale: bot.localeId });
    return inTurnSubsegment(deps.tracer, async (trace) => {
      const turnCtx = forInvocation(ctx, log, trace);
      annotateConversation(trace, sessionId, bot.localeId);
      try {
        return await handleTurn(turnCtx, event);
      } catch (err) {
        return defectResponse(turnCtx, event, err);
      }
    });
  }

  return async function fulfillment(event: unknown): Promise<LexV2CodeHookResponse> {
    try {
      const parsed = v.safeParse(LexV2EventSchema, event);
      if (!parsed.success) return invalidEventResponse(event);
      return await turn(parsed.output);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/** Error details for the log line: name, message (redacted of credentials and PII, capped), first frame. */
function defectDetails(err: unknown): Record<string, string> {
  const error = err instanceof Error ? err : undefined;
  const where = error?.stack
    ?.split('\n')
    .find((line) => line.trimStart().startsWith('at '))
    ?.trim();
  return {
    errorName: errorName(err),
    errorMessage: redact(String(error ? error.message : err)).slice(0, 300),
    ...(where ? { errorLocation: where.slice(0, 300) } : {}),
  };
}

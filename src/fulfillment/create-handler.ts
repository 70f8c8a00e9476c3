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
import type { FulfillmentDeps } from './deps';
import { handleTurn } from './turn';
import { errorName, turnContext } from './turn/outcome';

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

  /** A defect, not a dependency failure (those degrade inside the turn): still answer. */
  function defectResponse(event: LexV2Event, err: unknown): LexV2CodeHookResponse {
    logger.error('turn failed', { errorName: errorName(err), error: err as Error });
    return {
      sessionState: {
        sessionAttributes: { ...(event.sessionState.sessionAttributes ?? {}) },
        dialogAction: { type: 'ElicitIntent' },
      },
      messages: [{ contentType: 'PlainText', content: deps.model.messages.sorry[event.bot.localeId] }],
    };
  }

  return async function fulfillment(event: unknown): Promise<LexV2CodeHookResponse> {
    try {
      const parsed = v.safeParse(LexV2EventSchema, event);
      if (!parsed.success) return invalidEventResponse(event);
      logger.appendKeys({ sessionId: parsed.output.sessionId, locale: parsed.output.bot.localeId });
      try {
        return await handleTurn(ctx, parsed.output);
      } catch (err) {
        return defectResponse(parsed.output, err);
      }
    } finally {
      logger.removeKeys(['sessionId', 'locale', 'turn']);
      metrics.publishStoredMetrics();
    }
  };
}

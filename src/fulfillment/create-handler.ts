/**
 * The fulfillment logic of one Lex V2 code-hook invocation, with every dependency injected
 * (AWS adapters in Lambda, embedded stand-ins in the local platform, fakes in tests).
 *
 * Hot path of a text turn in a bot language: two sequential network round trips.
 *   round 1 (parallel): session get (Redis), sentiment (Comprehend; skipped when Lex already
 *           sent one), language detection (only when the turn may be in another language)
 *   round 2 (parallel): context put (DynamoDB), session put (Redis), event put (Kinesis),
 *           and speech (Polly + S3) for voice turns
 * A turn in another language adds one round (translate the text in and the answer back, in
 * parallel). Every call has a timeout budget; a failure degrades the answer, never stops it.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import * as v from 'valibot';
import { isLocaleId, type BotModel, type LocaleId } from '../../contracts/bot-model/types';
import { Metric, type MetricName } from '../../contracts/metrics';
import {
  LexV2EventSchema,
  type LexIntent,
  type LexMessage,
  type LexV2CodeHookResponse,
  type LexV2Event,
  RequestAttr,
  SessionAttr,
} from '../lex/types';
import type {
  ContextStore,
  ConversationEvent,
  EventSink,
  LanguageDetector,
  Sentiment,
  SentimentAnalyzer,
  SentimentLabel,
  SessionState,
  SessionStore,
  SpeechSynthesizer,
  Translator,
} from '../ports';
import { redact } from '../redact';
import { withTimeout } from '../util/timeout';
import { decide, FALLBACK_INTENT, negativeStreak, nextSentimentTrend, protectedPatterns } from './dialog';
import { maskTerms, restoreTerms } from './protected-terms';
import { EventDeliveryError } from './errors';

export interface FulfillmentConfig {
  environment: string;
  ttlDays: number;
  sessionTtlSeconds: number;
  locales: LocaleId[];
  streamTranscripts: boolean;
  /** Per-call budget for Redis, Comprehend, Translate, Polly, DynamoDB and Kinesis, ms. */
  dependencyTimeoutMs: number;
}

export interface FulfillmentDeps {
  sessions: SessionStore;
  context: ContextStore;
  events: EventSink;
  sentiment?: SentimentAnalyzer;
  languageDetector?: LanguageDetector;
  translator?: Translator;
  speech?: SpeechSynthesizer;
  metrics: Metrics;
  logger: Logger;
  config: FulfillmentConfig;
  now?: () => number;
  /** The bot model to answer from (BOT_MODEL of contracts/bot-model; tests pass fixtures). */
  model: BotModel;
}

/** Languages Comprehend DetectSentiment accepts. */
const SENTIMENT_LANGUAGES = new Set([
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'ar',
  'hi',
  'ja',
  'ko',
  'zh',
  'zh-TW',
]);
/** Below this Lex confidence the text may be in a language the bot does not speak. */
const LANGUAGE_CHECK_CONFIDENCE = 0.6;
/** DetectDominantLanguage score needed to act on a detected language. */
const LANGUAGE_MIN_SCORE = 0.7;
const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;
const CHANNEL = /^[A-Za-z0-9_-]{1,32}$/;
const VOICE_CHANNELS = new Set(['voice', 'phone', 'ivr', 'connect', 'telephony']);
const SENTIMENTS = new Set<SentimentLabel>(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED']);

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function attempt<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : typeof err);

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

function sessionFromAttributes(
  attrs: Readonly<Record<string, string>>,
  locale: LocaleId,
): SessionState | undefined {
  const turn = Number(attrs[SessionAttr.turn]);
  if (!Number.isInteger(turn) || turn < 0) return undefined;
  const trend = (attrs[SessionAttr.sentimentTrend] ?? '')
    .split(',')
    .filter((s): s is SentimentLabel => SENTIMENTS.has(s as SentimentLabel));
  const language = attrs[SessionAttr.language];
  const lastIntent = attrs[SessionAttr.lastIntent];
  return {
    turn,
    language: language && LANGUAGE_CODE.test(language) ? language : '',
    locale,
    ...(lastIntent ? { lastIntent: lastIntent.slice(0, 100) } : {}),
    sentimentTrend: trend.slice(-5),
    escalated: attrs[SessionAttr.escalated] === 'true',
  };
}

export function createFulfillmentHandler(
  deps: FulfillmentDeps,
): (event: unknown) => Promise<LexV2CodeHookResponse> {
  const { config, logger, metrics } = deps;
  const now = deps.now ?? Date.now;
  const budget = config.dependencyTimeoutMs;
  const count = (name: MetricName, value = 1): void => {
    metrics.addMetric(name, MetricUnit.Count, value);
  };
  const languageOf = (locale: LocaleId): string => deps.model.locales[locale].languageCode;

  function invalidEventResponse(event: unknown): LexV2CodeHookResponse {
    const { kind, issues } = classifyInvalidEvent(event);
    count(Metric.InvalidEvents);
    logger.error('rejected code-hook event', { errorClass: kind, issues });
    const locale = localeOfUnknown(event, config.locales[0] ?? 'en_US');
    return {
      sessionState: { dialogAction: { type: 'ElicitIntent' } },
      messages: [{ contentType: 'PlainText', content: deps.model.messages.sorry[locale] }],
    };
  }

  async function handleTurn(event: LexV2Event): Promise<LexV2CodeHookResponse> {
    const started = now();
    const degraded = new Set<MetricName>();
    const degrade = (name: MetricName, err: unknown, what: string): void => {
      degraded.add(name);
      count(name);
      logger.warn(`${what} degraded`, { metric: name, errorName: errorName(err) });
    };
    const conversationId = event.sessionId;
    const locale = event.bot.localeId;
    const localeLanguage = languageOf(locale);
    const attrs: Record<string, string> = { ...(event.sessionState.sessionAttributes ?? {}) };
    const requestAttrs = event.requestAttributes ?? {};
    const rawText = (event.inputTranscript ?? '').slice(0, 1024);
    const text = redact(rawText);
    const inputMode = event.inputMode ?? 'Text';
    const channelAttr = requestAttrs[RequestAttr.channel];
    const channel = channelAttr && CHANNEL.test(channelAttr) ? channelAttr.toLowerCase() : 'unknown';
    const voice =
      inputMode === 'Speech' || requestAttrs[RequestAttr.audio] === 'true' || VOICE_CHANNELS.has(channel);
    const interpretations = event.interpretations ?? [];
    const intent: LexIntent = event.sessionState.intent ??
      interpretations[0]?.intent ?? { name: FALLBACK_INTENT, slots: {}, state: 'InProgress' };
    const matching = interpretations.find((i) => i.intent.name === intent.name) ?? interpretations[0];
    const nluConfidence = matching?.nluConfidence ?? null;
    const top = interpretations[0];
    const topIsFallback = !top || top.intent.name === FALLBACK_INTENT;
    const fromAttrs = sessionFromAttributes(attrs, locale);
    const previousLanguage = fromAttrs?.language || localeLanguage;

    // ---- round 1: reads, in parallel ----------------------------------------------------
    const lexSentiment = matching?.sentimentResponse?.sentiment ?? top?.sentimentResponse?.sentiment;
    const sentimentLanguage = SENTIMENT_LANGUAGES.has(previousLanguage) ? previousLanguage : localeLanguage;
    const wantSentiment = !lexSentiment && !!deps.sentiment && text.trim().length > 0;
    const wantLanguage =
      !!deps.languageDetector &&
      !!deps.translator &&
      text.trim().length >= 3 &&
      (topIsFallback ||
        (nluConfidence !== null && nluConfidence < LANGUAGE_CHECK_CONFIDENCE) ||
        previousLanguage !== localeLanguage);

    const [sessionOut, sentimentOut, languageOut] = await Promise.all([
      attempt(() => withTimeout('session get', budget, () => deps.sessions.get(conversationId))),
      wantSentiment
        ? attempt(() =>
            withTimeout('sentiment', budget, () => deps.sentiment!.detect(text, sentimentLanguage)),
          )
        : Promise.resolve(undefined),
      wantLanguage
        ? attempt(() => withTimeout('language', budget, () => deps.languageDetector!.detect(text)))
        : Promise.resolve(undefined),
    ]);

    let stored: SessionState | undefined;
    if (sessionOut.ok) stored = sessionOut.value;
    else degrade(Metric.SessionStoreUnavailable, sessionOut.error, 'session get');

    let sentiment: Sentiment | undefined;
    if (lexSentiment) sentiment = { label: lexSentiment, score: 1 };
    else if (sentimentOut?.ok) sentiment = sentimentOut.value;
    else if (sentimentOut && !sentimentOut.ok)
      degrade(Metric.SentimentUnavailable, sentimentOut.error, 'sentiment');

    let language = previousLanguage;
    if (languageOut?.ok) {
      const { languageCode, score } = languageOut.value;
      if (LANGUAGE_CODE.test(languageCode) && score >= LANGUAGE_MIN_SCORE) language = languageCode;
      else if (!LANGUAGE_CODE.test(languageCode)) language = localeLanguage;
    } else if (languageOut && !languageOut.ok) {
      degrade(Metric.TranslationUnavailable, languageOut.error, 'language detection');
      language = localeLanguage;
    }

    // Lex's committed attributes win for the turn number: a retried invocation (whose answer
    // never reached Lex) gets the same turn, so the conditional context write spots it.
    const previous = fromAttrs ?? stored;
    const turn = (previous?.turn ?? stored?.turn ?? 0) + 1;
    const trend = nextSentimentTrend(
      stored?.sentimentTrend ?? fromAttrs?.sentimentTrend ?? [],
      sentiment?.label,
    );
    const alreadyEscalated = (stored?.escalated ?? false) || (fromAttrs?.escalated ?? false);
    const sentimentEscalation = !alreadyEscalated && negativeStreak(trend);

    const decision = decide({
      model: deps.model,
      locale,
      invocationSource: event.invocationSource,
      intent,
      turn,
      sentimentEscalation,
      alreadyEscalated,
    });
    const escalated = alreadyEscalated || decision.escalate;
    logger.appendKeys({ turn });
    const latencyMs = Math.max(0, now() - started);
    const timestamp = new Date(now()).toISOString();

    // ---- translation (only for a turn in another language): one extra round ------------
    let messages: LexMessage[] = decision.messages;
    let translatedInput: string | undefined;
    if (language !== localeLanguage && deps.translator) {
      const patterns = protectedPatterns(deps.model);
      const translator = deps.translator;
      const translateOne = async (source: string, from: string, to: string): Promise<string> => {
        const masked = maskTerms(source, patterns);
        const out = await withTimeout('translate', budget, () => translator.translate(masked.text, from, to));
        const restored = restoreTerms(out, masked.terms);
        if (restored === undefined) throw new Error('protected term lost in translation');
        return restored;
      };
      const [inOut, ...answerOut] = await Promise.all([
        attempt(() => translateOne(text, language, localeLanguage)),
        ...messages.map((m) => attempt(() => translateOne(m.content, localeLanguage, language))),
      ]);
      if (inOut.ok) translatedInput = inOut.value;
      const failed = [inOut, ...answerOut].find((o) => !o.ok);
      if (failed && !failed.ok) degrade(Metric.TranslationUnavailable, failed.error, 'translation');
      messages = messages.map((m, i) => {
        const o = answerOut[i];
        return o?.ok ? { ...m, content: o.value } : m;
      });
    }

    // ---- round 2: writes (and speech), in parallel --------------------------------------
    const session: SessionState = {
      turn,
      language,
      locale,
      lastIntent: decision.intentName,
      sentimentTrend: trend,
      escalated,
    };
    const conversationEvent: ConversationEvent = {
      schemaVersion: 1,
      conversationId,
      turn,
      locale,
      language,
      intent: decision.intentName,
      nluConfidence,
      fallback: decision.fallback,
      sentiment: sentiment?.label ?? null,
      channel,
      inputMode,
      escalated,
      degraded: [...degraded],
      latencyMs,
      timestamp,
      ...(config.streamTranscripts && text ? { text: translatedInput ?? text } : {}),
    };
    const speechText = messages.map((m) => m.content).join(' ');
    const [contextOut, sessionPutOut, eventsOut, speechOut] = await Promise.all([
      attempt(() =>
        withTimeout('context put', budget, () =>
          deps.context.putTurn({
            conversationId,
            turn,
            intent: decision.intentName,
            slots: Object.fromEntries(Object.entries(decision.slots).map(([k, v]) => [k, redact(v)])),
            ...(sentiment ? { sentiment: sentiment.label } : {}),
            language,
            locale,
            channel,
            latencyMs,
            timestamp,
          }),
        ),
      ),
      stored === undefined && !sessionOut.ok
        ? Promise.resolve(undefined) // Redis just failed: don't spend the budget again
        : attempt(() => withTimeout('session put', budget, () => deps.sessions.put(conversationId, session))),
      // The sink retries failed records itself (bounded); this is only a backstop.
      attempt(() => withTimeout('events put', budget * 4, () => deps.events.put([conversationEvent]))),
      voice && deps.speech
        ? attempt(() =>
            withTimeout('speech', budget * 2, () =>
              deps.speech!.synthesize(
                speechText,
                locale,
                `${conversationId.replace(/[^A-Za-z0-9._-]/g, '_')}/${turn}`,
              ),
            ),
          )
        : Promise.resolve(undefined),
    ]);
    if (!contextOut.ok) degrade(Metric.ContextStoreUnavailable, contextOut.error, 'context put');
    else if (contextOut.value === 'duplicate') logger.info('turn already recorded (retried invocation)');
    if (sessionPutOut && !sessionPutOut.ok) {
      if (!degraded.has(Metric.SessionStoreUnavailable))
        degrade(Metric.SessionStoreUnavailable, sessionPutOut.error, 'session put');
    }
    if (!eventsOut.ok) {
      const err = eventsOut.error;
      const failedIds = err instanceof EventDeliveryError ? err.eventIds : [`${conversationId}#${turn}`];
      count(Metric.EventsFailed, failedIds.length);
      degraded.add(Metric.EventsFailed);
      logger.error('conversation events not delivered after retries', {
        eventIds: failedIds,
        errorName: errorName(err),
      });
    }
    let audioUrl: string | undefined;
    if (speechOut?.ok) audioUrl = speechOut.value.audioUrl;
    else if (speechOut && !speechOut.ok) degrade(Metric.SpeechUnavailable, speechOut.error, 'speech');

    // ---- metrics and answer ---------------------------------------------------------------
    count(Metric.Turns);
    count(decision.fallback ? Metric.FallbackTurns : Metric.RecognizedTurns);
    if (top?.nluConfidence !== undefined && top.nluConfidence !== null) {
      metrics.addMetric(Metric.NluConfidence, MetricUnit.NoUnit, top.nluConfidence);
    }
    if (sentiment?.label === 'NEGATIVE') count(Metric.NegativeSentiment);
    if (decision.escalate && !alreadyEscalated) {
      count(Metric.Escalations);
      logger.info('conversation escalated to an agent', {
        reason: sentimentEscalation ? 'sentiment' : 'intent',
      });
    }
    metrics.addMetric(Metric.TurnLatency, MetricUnit.Milliseconds, Math.max(0, now() - started));
    logger.info('turn handled', {
      invocationSource: event.invocationSource,
      intent: decision.intentName,
      nluConfidence,
      fallback: decision.fallback,
      dialogAction: decision.dialogAction,
      sentiment: sentiment?.label,
      language,
      channel,
      inputMode,
      degraded: [...degraded],
      ...(decision.invalidSlot ? { invalidSlot: decision.invalidSlot } : {}),
    });
    logger.debug('turn text (redacted)', { text });

    const sessionAttributes: Record<string, string> = {
      ...attrs,
      [SessionAttr.turn]: String(turn),
      [SessionAttr.language]: language,
      [SessionAttr.sentimentTrend]: trend.join(','),
      [SessionAttr.escalated]: String(escalated),
      [SessionAttr.lastIntent]: decision.intentName,
    };
    if (sentiment) sessionAttributes[SessionAttr.sentiment] = sentiment.label;
    else delete sessionAttributes[SessionAttr.sentiment];
    if (audioUrl) sessionAttributes[SessionAttr.audioUrl] = audioUrl;
    else delete sessionAttributes[SessionAttr.audioUrl];
    if (translatedInput) sessionAttributes[SessionAttr.translatedInput] = translatedInput.slice(0, 1024);
    else delete sessionAttributes[SessionAttr.translatedInput];

    return {
      sessionState: {
        sessionAttributes,
        dialogAction:
          decision.dialogAction === 'ElicitSlot'
            ? { type: 'ElicitSlot', slotToElicit: decision.slotToElicit! }
            : { type: 'Close' },
        intent: {
          name: decision.intentName,
          state: decision.state,
          confirmationState: intent.confirmationState ?? 'None',
          slots: decision.lexSlots,
        },
      },
      messages,
    };
  }

  return async function fulfillment(event: unknown): Promise<LexV2CodeHookResponse> {
    try {
      const parsed = v.safeParse(LexV2EventSchema, event);
      if (!parsed.success) return invalidEventResponse(event);
      logger.appendKeys({ sessionId: parsed.output.sessionId, locale: parsed.output.bot.localeId });
      try {
        return await handleTurn(parsed.output);
      } catch (err) {
        // A defect, not a dependency failure (those degrade inside handleTurn): still answer.
        logger.error('turn failed', { errorName: errorName(err), error: err as Error });
        return {
          sessionState: {
            sessionAttributes: { ...(parsed.output.sessionState.sessionAttributes ?? {}) },
            dialogAction: { type: 'ElicitIntent' },
          },
          messages: [
            { contentType: 'PlainText', content: deps.model.messages.sorry[parsed.output.bot.localeId] },
          ],
        };
      }
    } finally {
      logger.removeKeys(['sessionId', 'locale', 'turn']);
      metrics.publishStoredMetrics();
    }
  };
}

/**
 * Step 1 of a turn, no I/O: what the Lex V2 event says about the turn (who, which locale,
 * the redacted text, the channel, the intent Lex chose and its confidence, the session state
 * Lex carries in its attributes).
 */
import type { BotModel, LocaleId } from '../../../contracts/bot-model/types';
import { type LexIntent, type LexV2Event, RequestAttr, SessionAttr } from '../../lex/types';
import type { SentimentLabel, SessionState } from '../../ports';
import { redact } from '../../redact';
import { MAX_TEXT_CHARACTERS, truncateCharacters } from '../../util/characters';
import { FALLBACK_INTENT } from '../dialog';

export const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;
const CHANNEL = /^[A-Za-z0-9_-]{1,32}$/;
/** The channel's userId rule (src/channel/request.ts). */
const USER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const VOICE_CHANNELS = new Set(['voice', 'phone', 'ivr', 'connect', 'telephony']);
const SENTIMENTS = new Set<SentimentLabel>(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED']);

export interface TurnInput {
  readonly conversationId: string;
  readonly locale: LocaleId;
  /** The locale's language (ISO 639-1), the language the bot answers in. */
  readonly localeLanguage: string;
  readonly invocationSource: LexV2Event['invocationSource'];
  /** Lex's session attributes as they came. */
  readonly attrs: Readonly<Record<string, string>>;
  /** The user's text, at most 1,024 characters, redacted. */
  readonly text: string;
  readonly inputMode: string;
  /** `channel` request attribute, lower case, or 'unknown'. */
  readonly channel: string;
  /** `userId` request attribute (the channel's pseudonymous user id), when valid. */
  readonly userId?: string;
  /** Speech input, `audio=true`, or a voice channel: the answer is also synthesized. */
  readonly voice: boolean;
  readonly intent: LexIntent;
  /** Confidence of the interpretation of `intent` (else the first one). */
  readonly nluConfidence: number | null;
  /** Confidence of Lex's top interpretation, when it has one. */
  readonly topConfidence: number | null | undefined;
  /** No interpretation, or the top one is the fallback intent. */
  readonly topIsFallback: boolean;
  /** The sentiment Lex sent with the interpretation, if any. */
  readonly lexSentiment: SentimentLabel | undefined;
  /** The session as Lex's committed attributes carry it. */
  readonly fromAttrs: SessionState | undefined;
  /** The language the user wrote in last turn (the locale's language on a first turn). */
  readonly previousLanguage: string;
}

export function readTurnInput(event: LexV2Event, model: BotModel): TurnInput {
  const locale = event.bot.localeId;
  const localeLanguage = model.locales[locale].languageCode;
  const attrs: Record<string, string> = { ...(event.sessionState.sessionAttributes ?? {}) };
  const requestAttrs = event.requestAttributes ?? {};
  const inputMode = event.inputMode ?? 'Text';
  const channelAttr = requestAttrs[RequestAttr.channel];
  const channel = channelAttr && CHANNEL.test(channelAttr) ? channelAttr.toLowerCase() : 'unknown';
  const interpretations = event.interpretations ?? [];
  const intent: LexIntent = event.sessionState.intent ??
    interpretations[0]?.intent ?? { name: FALLBACK_INTENT, slots: {}, state: 'InProgress' };
  const matching = interpretations.find((i) => i.intent.name === intent.name) ?? interpretations[0];
  const top = interpretations[0];
  const fromAttrs = sessionFromAttributes(attrs, locale);
  const userId = requestAttrs[RequestAttr.userId];
  return {
    conversationId: event.sessionId,
    locale,
    localeLanguage,
    invocationSource: event.invocationSource,
    attrs,
    text: redact(truncateCharacters(event.inputTranscript ?? '', MAX_TEXT_CHARACTERS)),
    inputMode,
    channel,
    ...(userId && USER_ID.test(userId) ? { userId } : {}),
    voice:
      inputMode === 'Speech' || requestAttrs[RequestAttr.audio] === 'true' || VOICE_CHANNELS.has(channel),
    intent,
    nluConfidence: matching?.nluConfidence ?? null,
    topConfidence: top?.nluConfidence,
    topIsFallback: !top || top.intent.name === FALLBACK_INTENT,
    lexSentiment: matching?.sentimentResponse?.sentiment ?? top?.sentimentResponse?.sentiment,
    fromAttrs,
    previousLanguage: fromAttrs?.language || localeLanguage,
  };
}

/** The session state Lex's attributes carry, when they carry a valid turn number. */
export function sessionFromAttributes(
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

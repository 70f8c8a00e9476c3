/**
 * Step 2 of a turn, round 1 of the hot path: the reads, all started together.
 *   readSession: the session from Redis
 *   understand:  the sentiment (Comprehend; skipped when Lex already sent one) and the language
 *                (only when the turn may be in another language), in parallel
 * The intent and slots are Lex's (TurnInput). Each step returns its degradations rather than
 * noting them, so they are noted in one fixed order whichever call finished first.
 */
import { Metric } from '../../../contracts/metrics';
import type { Sentiment, SessionState } from '../../ports';
import { withTimeout } from '../../util/timeout';
import { LANGUAGE_CODE, type TurnInput } from './input';
import { attempt, type Degradation, degradationOf, type Outcome, type TurnContext } from './outcome';

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

export interface SessionRead {
  /** The session Redis holds, if it answered with one. */
  readonly stored: SessionState | undefined;
  /** Redis failed: the turn does not spend its budget on the session put either. */
  readonly failed: boolean;
  readonly degradations: Degradation[];
}

export async function readSession(ctx: TurnContext, input: TurnInput): Promise<SessionRead> {
  const out = await attempt(() =>
    withTimeout('session get', ctx.budget, () => ctx.deps.sessions.get(input.conversationId)),
  );
  return {
    stored: out.ok ? out.value : undefined,
    failed: !out.ok,
    degradations: degradationOf(out, Metric.SessionStoreUnavailable, 'session get'),
  };
}

export interface Understanding {
  readonly sentiment: Sentiment | undefined;
  /** The language the user writes in this turn. */
  readonly language: string;
  readonly degradations: Degradation[];
}

export async function understand(ctx: TurnContext, input: TurnInput): Promise<Understanding> {
  const [sentimentOut, languageOut] = await Promise.all([
    detectSentiment(ctx, input),
    detectLanguage(ctx, input),
  ]);
  const sentiment: Sentiment | undefined = input.lexSentiment
    ? { label: input.lexSentiment, score: 1 }
    : sentimentOut?.ok
      ? sentimentOut.value
      : undefined;
  return {
    sentiment,
    language: languageOf(input, languageOut),
    degradations: [
      ...degradationOf(sentimentOut, Metric.SentimentUnavailable, 'sentiment'),
      ...degradationOf(languageOut, Metric.TranslationUnavailable, 'language detection'),
    ],
  };
}

/** Comprehend's sentiment, unless Lex sent one (or there is no text or no analyzer). */
function detectSentiment(ctx: TurnContext, input: TurnInput): Promise<Outcome<Sentiment> | undefined> {
  const analyzer = ctx.deps.sentiment;
  if (input.lexSentiment || !analyzer || input.text.trim().length === 0) return Promise.resolve(undefined);
  const language = SENTIMENT_LANGUAGES.has(input.previousLanguage)
    ? input.previousLanguage
    : input.localeLanguage;
  return attempt(() => withTimeout('sentiment', ctx.budget, () => analyzer.detect(input.text, language)));
}

/** The dominant language, only when the turn may be in a language the bot does not speak. */
function detectLanguage(
  ctx: TurnContext,
  input: TurnInput,
): Promise<Outcome<{ languageCode: string; score: number }> | undefined> {
  const detector = ctx.deps.languageDetector;
  const mayBeOtherLanguage =
    input.topIsFallback ||
    (input.nluConfidence !== null && input.nluConfidence < LANGUAGE_CHECK_CONFIDENCE) ||
    input.previousLanguage !== input.localeLanguage;
  if (!detector || !ctx.deps.translator || input.text.trim().length < 3 || !mayBeOtherLanguage) {
    return Promise.resolve(undefined);
  }
  return attempt(() => withTimeout('language', ctx.budget, () => detector.detect(input.text)));
}

/** The detected language when it is confident, the locale's when detection failed or is not a language. */
function languageOf(
  input: TurnInput,
  out: Outcome<{ languageCode: string; score: number }> | undefined,
): string {
  if (!out) return input.previousLanguage;
  if (!out.ok) return input.localeLanguage;
  const { languageCode, score } = out.value;
  if (!LANGUAGE_CODE.test(languageCode)) return input.localeLanguage;
  return score >= LANGUAGE_MIN_SCORE ? languageCode : input.previousLanguage;
}

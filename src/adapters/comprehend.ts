/**
 * Comprehend: sentiment of the user's text in its language, and its dominant language. The SDK
 * is loaded and the client created on first use (the `comprehend` chunk): Lex already sends the
 * sentiment of most turns, and language detection runs only on turns that may be in another
 * language, so most turns never need it.
 */
import type { ComprehendClient, LanguageCode } from '@aws-sdk/client-comprehend';
import { fromChunk, type Chunks } from '../chunks';
import type { LanguageDetector, Sentiment, SentimentAnalyzer, SentimentLabel } from '../ports';
import { abortAfter } from '../util/timeout';

export type ComprehendModule = Chunks['comprehend'];

/** The Comprehend client and the SDK module it came from, created once per container. */
export type ComprehendSource = () => Promise<{ client: ComprehendClient; mod: ComprehendModule }>;

/**
 * One Comprehend client shared by the sentiment analyzer and the language detector.
 * @param createClient builds the client (e.g. wrapped by the tracer); called once, lazily.
 * @param load loads the Comprehend SDK. @default the `comprehend` chunk
 */
export function lazyComprehend(
  createClient: (mod: ComprehendModule) => ComprehendClient,
  load?: () => Promise<ComprehendModule>,
): ComprehendSource {
  return fromChunk('comprehend', (mod) => ({ client: createClient(mod), mod }), load);
}

/** Comprehend's limit is 5,000 bytes of UTF-8; a chat turn is far below, but never send more. */
export function truncateUtf8(text: string, maxBytes = 4_900): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = text.slice(0, maxBytes);
  while (Buffer.byteLength(out, 'utf8') > maxBytes) out = out.slice(0, -1);
  return out;
}

const LABELS = new Set<SentimentLabel>(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED']);

export class ComprehendSentimentAnalyzer implements SentimentAnalyzer {
  constructor(
    private readonly comprehend: ComprehendSource,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  async detect(text: string, languageCode: string): Promise<Sentiment> {
    const { client, mod } = await this.comprehend();
    const out = await client.send(
      new mod.DetectSentimentCommand({
        Text: truncateUtf8(text),
        LanguageCode: languageCode as LanguageCode,
      }),
      abortAfter(this.opts.timeoutMs),
    );
    const label = out.Sentiment as SentimentLabel | undefined;
    if (!label || !LABELS.has(label)) throw new Error('comprehend returned no sentiment');
    const scores = out.SentimentScore ?? {};
    const byLabel: Record<SentimentLabel, number | undefined> = {
      POSITIVE: scores.Positive,
      NEGATIVE: scores.Negative,
      NEUTRAL: scores.Neutral,
      MIXED: scores.Mixed,
    };
    return { label, score: byLabel[label] ?? 0 };
  }
}

export class ComprehendLanguageDetector implements LanguageDetector {
  constructor(
    private readonly comprehend: ComprehendSource,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  async detect(text: string): Promise<{ languageCode: string; score: number }> {
    const { client, mod } = await this.comprehend();
    const out = await client.send(
      new mod.DetectDominantLanguageCommand({ Text: truncateUtf8(text) }),
      abortAfter(this.opts.timeoutMs),
    );
    const best = [...(out.Languages ?? [])].sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))[0];
    if (!best?.LanguageCode) throw new Error('comprehend detected no language');
    return { languageCode: best.LanguageCode, score: best.Score ?? 0 };
  }
}

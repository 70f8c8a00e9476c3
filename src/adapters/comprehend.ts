/** Comprehend: sentiment of the user's text in its language, and its dominant language. */
import {
  type ComprehendClient,
  DetectDominantLanguageCommand,
  DetectSentimentCommand,
  type LanguageCode,
} from '@aws-sdk/client-comprehend';
import type { LanguageDetector, Sentiment, SentimentAnalyzer, SentimentLabel } from '../ports';

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
    private readonly comprehend: ComprehendClient,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  async detect(text: string, languageCode: string): Promise<Sentiment> {
    const out = await this.comprehend.send(
      new DetectSentimentCommand({ Text: truncateUtf8(text), LanguageCode: languageCode as LanguageCode }),
      this.opts.timeoutMs ? { abortSignal: AbortSignal.timeout(this.opts.timeoutMs) } : {},
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
    private readonly comprehend: ComprehendClient,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  async detect(text: string): Promise<{ languageCode: string; score: number }> {
    const out = await this.comprehend.send(
      new DetectDominantLanguageCommand({ Text: truncateUtf8(text) }),
      this.opts.timeoutMs ? { abortSignal: AbortSignal.timeout(this.opts.timeoutMs) } : {},
    );
    const best = [...(out.Languages ?? [])].sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))[0];
    if (!best?.LanguageCode) throw new Error('comprehend detected no language');
    return { languageCode: best.LanguageCode, score: best.Score ?? 0 };
  }
}

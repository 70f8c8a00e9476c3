/**
 * SentimentAnalyzer port for the local platform (the stand-in for Comprehend DetectSentiment):
 * nlp.js's lexicon sentiment (senticon, en/es), sharpened by a short list of strong
 * customer-service cue words.
 *
 * Why the cues: senticon scores plain requests as polar ("I want to talk to a human" +1.0,
 * "where is my order" +0.33) and strong complaints as mild ("this is terrible, I hate waiting"
 * -0.25). The fulfillment handler escalates on repeated NEGATIVE turns, so complaints must read
 * as NEGATIVE and requests as NEUTRAL. When a cue word is present, the cues decide (a negator
 * such as "not"/"no" just before a positive cue flips it); otherwise only a strongly polar
 * senticon score counts.
 */
import type { NlpSentimentResult } from '@nlpjs/nlp';
import type { Sentiment, SentimentAnalyzer } from '../../src/ports';
import { tokenize } from '../nlu/text';

/** |senticon score| below this is NEUTRAL when no cue word decides. */
export const NEUTRAL_BAND = 1.25;

const CUES: Record<string, { negative: string[]; positive: string[]; negators: string[] }> = {
  en: {
    negative: [
      'terrible',
      'horrible',
      'awful',
      'hate',
      'hated',
      'angry',
      'furious',
      'annoyed',
      'frustrated',
      'frustrating',
      'disappointed',
      'disappointing',
      'useless',
      'worst',
      'ridiculous',
      'unacceptable',
      'upset',
      'sucks',
      'bad',
      'poor',
      'pathetic',
      'disgusted',
      'fed',
      'scam',
      'rude',
      'incompetent',
      'mad',
      'outraged',
      'unhappy',
    ],
    positive: [
      'thanks',
      'thank',
      'great',
      'excellent',
      'awesome',
      'perfect',
      'love',
      'happy',
      'wonderful',
      'amazing',
      'fantastic',
      'helpful',
      'good',
      'nice',
      'appreciate',
      'brilliant',
      'pleased',
      'glad',
    ],
    negators: ['not', 'no', 'never', 'dont', 'don', 'isnt', 'wasnt', 'hardly'],
  },
  es: {
    negative: [
      'terrible',
      'horrible',
      'pesimo',
      'pesima',
      'odio',
      'enfadado',
      'enfadada',
      'enojado',
      'enojada',
      'furioso',
      'furiosa',
      'harto',
      'harta',
      'frustrado',
      'frustrada',
      'decepcionado',
      'decepcionada',
      'inutil',
      'peor',
      'ridiculo',
      'inaceptable',
      'molesto',
      'molesta',
      'malo',
      'mala',
      'fatal',
      'estafa',
      'grosero',
      'vergonzoso',
    ],
    positive: [
      'gracias',
      'genial',
      'excelente',
      'perfecto',
      'perfecta',
      'encanta',
      'feliz',
      'maravilloso',
      'increible',
      'fantastico',
      'util',
      'bueno',
      'buena',
      'agradezco',
      'contento',
      'contenta',
      'estupendo',
    ],
    negators: ['no', 'nunca', 'jamas', 'tampoco', 'nada'],
  },
};

export type SentimentSource = (text: string, languageCode: string) => Promise<NlpSentimentResult | undefined>;

export class NlpSentimentAnalyzer implements SentimentAnalyzer {
  constructor(private readonly source: SentimentSource) {}

  async detect(text: string, languageCode: string): Promise<Sentiment> {
    const cues = cueScore(text, languageCode);
    if (cues.hits > 0) return fromCues(cues);
    return fromSenticon(await this.source(text, languageCode));
  }
}

/** Net cue polarity: +1 per positive cue, -1 per negative cue (negated positives count -1). */
export function cueScore(text: string, languageCode: string): { net: number; hits: number } {
  const lexicon = CUES[languageCode];
  if (!lexicon) return { net: 0, hits: 0 };
  const words = tokenize(text).map((t) => t.norm);
  let net = 0;
  let hits = 0;
  words.forEach((word, i) => {
    const negated =
      lexicon.negators.includes(words[i - 1] ?? '') || lexicon.negators.includes(words[i - 2] ?? '');
    if (lexicon.negative.includes(word)) {
      net -= 1;
      hits += 1;
    } else if (lexicon.positive.includes(word)) {
      net += negated ? -1 : 1;
      hits += 1;
    }
  });
  return { net, hits };
}

function fromCues({ net, hits }: { net: number; hits: number }): Sentiment {
  if (net === 0) return { label: 'MIXED', score: 0.6 };
  return {
    label: net > 0 ? 'POSITIVE' : 'NEGATIVE',
    score: round(Math.min(0.99, 0.6 + (0.4 * Math.abs(net)) / hits)),
  };
}

export function fromSenticon(result: NlpSentimentResult | undefined): Sentiment {
  if (!result || result.numHits === 0) return { label: 'NEUTRAL', score: 0.9 };
  const magnitude = Math.abs(result.score);
  if (magnitude < NEUTRAL_BAND) return { label: 'NEUTRAL', score: round(0.9 - magnitude / NEUTRAL_BAND / 3) };
  return {
    label: result.score > 0 ? 'POSITIVE' : 'NEGATIVE',
    score: round(Math.min(0.95, 0.5 + magnitude / 4)),
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

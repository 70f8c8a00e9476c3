/**
 * Text handling of the local knowledge engine, per locale: the terms MiniSearch indexes and
 * searches (lower case, nlp.js's stop words dropped, Snowball stems, accents folded after
 * stemming so "envío" and "envio" meet), and markdown turned into plain text.
 */
import { StopwordsEn } from '@nlpjs/lang-en';
import { StopwordsEs } from '@nlpjs/lang-es';
import { newStemmer, type Stemmer } from 'snowball-stemmers';
import type { LocaleId } from '../../contracts/bot-model/types';

interface Language {
  /** ISO 639-1 (what nlp.js calls it). */
  readonly code: string;
  readonly stemmer: Stemmer;
  readonly stopwords: { isStopword(word: string): boolean };
}

/** The language of each bot locale (a locale added to LOCALES fails type-check here). */
export const LANGUAGES: Readonly<Record<LocaleId, Language>> = {
  en_US: { code: 'en', stemmer: newStemmer('english'), stopwords: new StopwordsEn() },
  es_US: { code: 'es', stemmer: newStemmer('spanish'), stopwords: new StopwordsEs() },
};

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '');

/** Distinct terms remembered per locale (the JavaScript Snowball stemmers take ~10-60 µs a word). */
const MAX_CACHED_TERMS = 50_000;
const processors = new Map<LocaleId, (term: string) => string | null>();

/** MiniSearch `processTerm` of a locale: null drops the term. Memoized: a corpus repeats its words. */
export function termProcessor(locale: LocaleId): (term: string) => string | null {
  const known = processors.get(locale);
  if (known) return known;
  const { stemmer, stopwords } = LANGUAGES[locale];
  const cache = new Map<string, string | null>();
  const process = (term: string): string | null => {
    const lower = term.toLowerCase().replace(/^['’]+|['’]+$/g, '');
    if (!lower || stopwords.isStopword(lower) || stopwords.isStopword(fold(lower))) return null;
    return fold(stemmer.stem(lower));
  };
  const memoized = (term: string): string | null => {
    let out = cache.get(term);
    if (out === undefined) {
      if (cache.size >= MAX_CACHED_TERMS) cache.clear();
      out = process(term);
      cache.set(term, out);
    }
    return out;
  };
  processors.set(locale, memoized);
  return memoized;
}

/**
 * Spanish function words nlp.js's stop word list lacks although its English list has their
 * equivalents ("is", "are", "am", "was", "your", "you"): the forms of ser, estar and haber, the
 * possessives and pronouns of address. Compared accent-folded.
 */
const SPANISH_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  [
    ['es', 'son', 'era', 'eran', 'fue', 'fueron', 'ser', 'sea', 'sean', 'soy', 'eres', 'somos'],
    ['esta', 'estan', 'estoy', 'estas', 'estamos', 'estar', 'este', 'esten'],
    ['hay', 'habia', 'ha', 'han', 'he', 'has', 'hemos'],
    ['mis', 'tu', 'tus', 'usted', 'ustedes', 'vos'],
  ].flat(),
);

/**
 * The terms that count as evidence that a text is about something (the guardrail's shared-word
 * check): `termProcessor`'s, without the function words its stop word list misses. Without this,
 * "¿Cuál es su política de devoluciones?" shares "es" with a denied topic's example ("¿Cuál es el
 * usuario y la contraseña…?") and is blocked. The search index keeps `termProcessor` (its ranking
 * is what `npm run kb:eval` measures).
 */
export function evidenceTermProcessor(locale: LocaleId): (term: string) => string | null {
  const terms = termProcessor(locale);
  if (locale !== 'es_US') return terms;
  return (term) => (SPANISH_FUNCTION_WORDS.has(fold(term.toLowerCase())) ? null : terms(term));
}

/**
 * Markdown to plain text: heading marks, emphasis, inline code marks, link and image syntax and
 * list bullets go; everything else (HTML a document quotes included) stays as the characters it is.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}(?:[-*+]|\d+\.)\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/(\*\*|__)(?=\S)([^*_]+?)\1/g, '$2')
    .replace(/(?<![\w*])\*(?=\S)([^*]+?)\*(?!\w)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Sentences of a plain text (for the guardrail classifier's negatives). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 3);
}

/** At most `max` characters, cut at a word boundary, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

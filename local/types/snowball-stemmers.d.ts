/** Minimal typings for snowball-stemmers (no bundled .d.ts): the Snowball stemmers in JavaScript. */
declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(algorithm: string): Stemmer;
  export function algorithms(): string[];
}

/** The stop-word lists of nlp.js's language packages (the rest is typed in nlpjs.d.ts). */
declare module '@nlpjs/lang-en' {
  export class StopwordsEn {
    isStopword(word: string): boolean;
  }
}
declare module '@nlpjs/lang-es' {
  export class StopwordsEs {
    isStopword(word: string): boolean;
  }
}

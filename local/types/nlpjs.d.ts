/** Minimal typings for the parts of nlp.js (v4, no bundled .d.ts) the local NLU uses. */
declare module '@nlpjs/nlp' {
  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpSentimentResult {
    score: number;
    numWords: number;
    numHits: number;
    average: number;
    type: string;
    locale: string;
    vote: 'positive' | 'negative' | 'neutral';
  }
  export interface NlpProcessResult {
    locale: string;
    utterance: string;
    intent: string;
    score: number;
    classifications: NlpClassification[];
    sentiment?: NlpSentimentResult;
  }
  export class Nlp {
    constructor(settings?: Record<string, unknown>);
    use(plugin: unknown): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<NlpProcessResult>;
    getSentiment(locale: string, utterance: string): Promise<{ sentiment: NlpSentimentResult }>;
  }
}
declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
declare module '@nlpjs/lang-es' {
  export const LangEs: unknown;
}

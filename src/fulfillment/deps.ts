/**
 * What the fulfillment logic is given: its configuration and every dependency (ports), injected
 * by the composition (src/fulfillment/compose.ts) for Lambda and the local platform, or by tests.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { BotModel, LocaleId } from '../../contracts/bot-model/types';
import type {
  ContextStore,
  EventSink,
  KnowledgeBase,
  LanguageDetector,
  SentimentAnalyzer,
  SessionStore,
  SpeechSynthesizer,
  Translator,
} from '../ports';
import type { TurnTracer } from './trace';

export interface FulfillmentConfig {
  environment: string;
  ttlDays: number;
  sessionTtlSeconds: number;
  locales: LocaleId[];
  streamTranscripts: boolean;
  /** Per-call budget for Redis, Comprehend, Translate, Polly, DynamoDB and Kinesis, ms. */
  dependencyTimeoutMs: number;
  /** Total budget of one knowledge answer (Retrieve + Converse), ms. @default 6000 */
  knowledgeTimeoutMs?: number;
}

/** The outside world of a turn; an optional port left undefined turns its feature off. */
export interface FulfillmentPorts {
  sessions: SessionStore;
  context: ContextStore;
  events: EventSink;
  /** Sentiment when Lex sent none. */
  sentiment?: SentimentAnalyzer | undefined;
  /** With `translator`: turns in a language the bot does not speak. */
  languageDetector?: LanguageDetector | undefined;
  translator?: Translator | undefined;
  /** Voice turns' audio. */
  speech?: SpeechSynthesizer | undefined;
  /** Answers to questions no intent covers, from the company's documents (turn/knowledge.ts). */
  knowledge?: KnowledgeBase | undefined;
}

export interface FulfillmentRuntime {
  config: FulfillmentConfig;
  /** The bot model to answer from. */
  model: BotModel;
  logger: Logger;
  metrics: Metrics;
  /** Powertools Tracer: each turn traced in its own subsegment with its annotations (trace.ts). */
  tracer?: TurnTracer;
  now?: () => number;
}

/** Everything the fulfillment logic is given: the ports and the runtime. */
export type FulfillmentDeps = FulfillmentPorts & FulfillmentRuntime;

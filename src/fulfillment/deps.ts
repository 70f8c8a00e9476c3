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
  /** X-Ray: each turn in a `## turn` subsegment with its annotations (trace.ts); unset = none. */
  tracer?: TurnTracer;
  config: FulfillmentConfig;
  now?: () => number;
  /** The bot model to answer from (BOT_MODEL of contracts/bot-model; tests pass fixtures). */
  model: BotModel;
}

/**
 * What the fulfillment logic is given: its configuration and every dependency (ports), injected
 * by the composition (src/fulfillment/compose.ts) for Lambda and the local platform, or by tests.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { BotModel, LocaleId } from '../../contracts/bot-model/types';
import type { SupportDeskSettings } from '../../contracts/tickets';
import type {
  ContextStore,
  EventSink,
  KnowledgeBase,
  LanguageDetector,
  OrderLookup,
  SentimentAnalyzer,
  SessionStore,
  SpeechSynthesizer,
  TicketQueue,
  Translator,
} from '../ports';
import type { TurnTracer } from './trace';

export interface FulfillmentConfig {
  environment: string;
  ttlDays: number;
  sessionTtlSeconds: number;
  locales: LocaleId[];
  streamTranscripts: boolean;
  /** Per-call budget for Redis, Comprehend, Translate, Polly, DynamoDB, Kinesis and SQS, ms. */
  dependencyTimeoutMs: number;
  /** Total budget of one knowledge answer (Retrieve + Converse), ms. @default 6000 */
  knowledgeTimeoutMs?: number;
  /** What the bot says about the support desk on a ticket turn (env SUPPORT_DESK); none: no tickets. */
  supportDesk?: SupportDeskSettings | undefined;
  /** How long an order turn may wait for the order source, retries included, ms. @default 2000 */
  orderLookupBudgetMs?: number | undefined;
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
  /**
   * Ticket requests of ticket turns (ReportIssue, TalkToAgent, sentiment hand-offs). Without it
   * (or without `config.supportDesk`) a ticket turn answers that no ticket could be registered.
   */
  tickets?: TicketQueue | undefined;
  /** The order source of order turns; without it they answer that orders cannot be checked now. */
  orders?: OrderLookup | undefined;
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

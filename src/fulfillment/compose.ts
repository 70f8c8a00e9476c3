/**
 * The one composition of the fulfillment handler, used by the Lambda entry point
 * (src/handlers/fulfillment.ts: AWS adapters from the environment) and by the local platform
 * (local/platform: embedded stand-ins): ports + runtime (config, bot model, Powertools) -> the
 * Lambda-shaped handler. It does no work of its own at module init or per turn beyond adding
 * the Lambda context to the logger.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { BotModel } from '../../contracts/bot-model/types';
import type { LexV2CodeHookResponse } from '../lex/types';
import type {
  ContextStore,
  EventSink,
  LanguageDetector,
  SentimentAnalyzer,
  SessionStore,
  SpeechSynthesizer,
  Translator,
} from '../ports';
import { createFulfillmentHandler } from './create-handler';
import type { FulfillmentConfig } from './deps';
import type { TurnTracer } from './trace';

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

/** The code hook as Lambda invokes it: the event, and the invocation's context when there is one. */
export type FulfillmentLambdaHandler = (event: unknown, context?: Context) => Promise<LexV2CodeHookResponse>;

export function composeFulfillment(
  ports: FulfillmentPorts,
  runtime: FulfillmentRuntime,
): FulfillmentLambdaHandler {
  const fulfill = createFulfillmentHandler({ ...ports, ...runtime });
  const { logger } = runtime;
  return async (event, context) => {
    if (context) logger.addContext(context);
    return fulfill(event);
  };
}

/**
 * The one composition of the fulfillment handler, used by the Lambda entry point
 * (src/handlers/fulfillment.ts: AWS adapters from the environment) and by the local platform
 * (local/platform: embedded stand-ins): ports + runtime (config, bot model, Powertools) -> the
 * Lambda-shaped handler. It does no work of its own at module init or per turn beyond adding
 * the Lambda context to the logger.
 */
import type { Context } from 'aws-lambda';
import type { LexV2CodeHookResponse } from '../lex/types';
import { createFulfillmentHandler } from './create-handler';
import type { FulfillmentPorts, FulfillmentRuntime } from './deps';

export type { FulfillmentPorts, FulfillmentRuntime };

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

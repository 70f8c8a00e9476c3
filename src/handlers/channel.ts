/**
 * Lambda entry point of the channel API (API Gateway HTTP API v2 -> Lex V2 RecognizeText).
 * The Lex client is built at module scope with the default configuration, so the standard
 * `AWS_ENDPOINT_URL_LEX_RUNTIME_V2` variable (or `LEX_ENDPOINT_URL`) can point it at another
 * endpoint, e.g. the local platform's Lex stand-in.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { CHANNEL_SERVICE, METRIC_NAMESPACE } from '../../contracts/metrics';
import { ChannelEnv } from '../../contracts/runtime-env';
import { httpHandler } from '../adapters/http';
import { createChannelHandler, type HttpResult } from '../channel/create-handler';
import { localesEnv, numberEnv, optionalEnv, requireEnv } from '../env';

/** Explicit endpoint override for the Lex runtime client (the local platform sets it). */
export const LEX_ENDPOINT_URL_ENV = 'LEX_ENDPOINT_URL';
/** RecognizeText budget, ms. */
export const LEX_TIMEOUT_MS_ENV = 'LEX_TIMEOUT_MS';

const serviceName = process.env[ChannelEnv.SERVICE_NAME] ?? CHANNEL_SERVICE;
const logger = new Logger({ serviceName });
const metrics = new Metrics({
  namespace: process.env[ChannelEnv.METRICS_NAMESPACE] ?? METRIC_NAMESPACE,
  serviceName,
});
/** The only outbound call is Lex, traced through captureAWSv3Client: no global HTTP patching. */
const tracer = new Tracer({ serviceName, captureHTTPsRequests: false });

const endpoint = optionalEnv(LEX_ENDPOINT_URL_ENV);
/** HTTP/1.1 (src/adapters/http.ts says why); RecognizeText's budget is its abort signal. */
const lex = tracer.captureAWSv3Client(
  new LexRuntimeV2Client({ ...(endpoint ? { endpoint } : {}), requestHandler: httpHandler() }),
);

let channel: ((event: APIGatewayProxyEventV2) => Promise<HttpResult>) | undefined;

export const handler = async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
  if (context) logger.addContext(context);
  channel ??= createChannelHandler({
    lex,
    botId: requireEnv(ChannelEnv.BOT_ID),
    botAliasId: requireEnv(ChannelEnv.BOT_ALIAS_ID),
    locales: localesEnv(ChannelEnv.BOT_LOCALES),
    logger,
    metrics,
    lexTimeoutMs: numberEnv(LEX_TIMEOUT_MS_ENV, 8000),
  });
  return channel(event);
};

/**
 * Lambda entry point of the channel API (API Gateway HTTP API v2 -> Lex V2 RecognizeText).
 * The Lex client is built at module scope with the default configuration, so the standard
 * `AWS_ENDPOINT_URL_LEX_RUNTIME_V2` variable (or `LEX_ENDPOINT_URL`) can point it at another
 * endpoint, e.g. the local platform's Lex stand-in.
 *
 * The conversation gate (ownership + per-identity rate limit, src/channel/gate.ts) is Redis: the
 * session store's replication group, over TLS with its AUTH token from Secrets Manager (read once
 * per container), or REDIS_URL locally. The client connects on the first turn.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { CHANNEL_SERVICE, METRIC_NAMESPACE } from '../../contracts/metrics';
import { ChannelEnv } from '../../contracts/runtime-env';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedbackEvent } from '../../contracts/conversation-event';
import { DynamoFeedbackStore } from '../adapters/dynamo-feedback-store';
import { httpHandler } from '../adapters/http';
import { KinesisEventSink } from '../adapters/kinesis-event-sink';
import type { RedisConversationGate } from '../adapters/redis-conversation-gate';
import { loadChunk } from '../chunks';
import {
  type ChannelDeps,
  createChannelHandler,
  type FeedbackPorts,
  type HttpResult,
} from '../channel/create-handler';
import { booleanEnv, localesEnv, numberEnv, optionalEnv, requireEnv } from '../env';
import type { ConversationGate, GateCaller } from '../ports';

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
let closeGate: (() => Promise<void>) | undefined;

/** Closes the gate's Redis connection (graceful shutdown, the local platform, tests). */
export async function shutdown(): Promise<void> {
  await closeGate?.();
}

/** The gate's Redis client, built on the first turn (after the AUTH token is read). */
function gateFromEnv(): ConversationGate {
  const E = ChannelEnv;
  const options = {
    ratePerSecond: numberEnv(E.RATE_PER_IDENTITY, 1),
    burst: Math.round(numberEnv(E.BURST_PER_IDENTITY, 10)),
    ownerTtlSeconds: Math.round(numberEnv(E.OWNER_TTL_SECONDS, 1800)),
    keyPrefix: optionalEnv(E.GATE_KEY_PREFIX) ?? '',
  };
  const url = optionalEnv(E.REDIS_URL);
  const secretArn = optionalEnv(E.REDIS_AUTH_SECRET_ARN);
  const host = url ? undefined : requireEnv(E.REDIS_HOST);
  let secret: (() => Promise<string>) | undefined;
  let gate: Promise<RedisConversationGate> | undefined;
  closeGate = async () => {
    const current = gate;
    gate = undefined;
    await (await current?.catch(() => undefined))?.close();
  };
  const connect = async (): Promise<RedisConversationGate> => {
    // ioredis and Secrets Manager are the `sessions` chunk: the bundle stays small (health checks)
    const { cachedSecret, createRedisClient, RedisConversationGate, SecretsManagerClient } =
      await loadChunk('sessions');
    if (secretArn) {
      secret ??= cachedSecret(
        tracer.captureAWSv3Client(
          new SecretsManagerClient({ maxAttempts: 2, requestHandler: httpHandler() }),
        ),
        secretArn,
      );
    }
    const password = secret ? await secret() : undefined;
    const redis = createRedisClient({
      ...(url ? { url } : { host, port: numberEnv(E.REDIS_PORT, 6379) }),
      tls: booleanEnv(E.REDIS_TLS, !url),
      ...(password ? { password } : {}),
      connectTimeoutMs: 1000,
      commandTimeoutMs: numberEnv(E.GATE_TIMEOUT_MS, 500),
    });
    redis.on('error', (err: Error) => logger.warn('redis connection error', { errorName: err.name }));
    return new RedisConversationGate(redis, options);
  };
  return {
    admit: async (conversationId: string, caller: GateCaller) => {
      // a failed secret read or connect is not cached: the next turn tries again
      gate ??= connect().catch((err: unknown) => {
        gate = undefined;
        throw err;
      });
      return (await gate).admit(conversationId, caller);
    },
  };
}

/** Feedback's store (the conversation table) and stream, when the stage gives them. */
function feedbackFromEnv(): FeedbackPorts | undefined {
  const tableName = optionalEnv(ChannelEnv.CONVERSATION_TABLE_NAME);
  const streamName = optionalEnv(ChannelEnv.EVENT_STREAM_NAME);
  if (!tableName || !streamName) return undefined;
  const budget = { connectionTimeoutMs: 500, requestTimeoutMs: 1000 };
  const dynamo = tracer.captureAWSv3Client(
    new DynamoDBClient({ maxAttempts: 2, requestHandler: httpHandler(budget) }),
  );
  const kinesis = tracer.captureAWSv3Client(
    new KinesisClient({ maxAttempts: 2, requestHandler: httpHandler(budget) }),
  );
  return {
    store: new DynamoFeedbackStore(DynamoDBDocumentClient.from(dynamo), { tableName, timeoutMs: 2000 }),
    events: new KinesisEventSink<FeedbackEvent>(kinesis, { streamName, timeoutMs: 1000 }),
  };
}

/**
 * The channel as this environment describes it; `overrides` replace what the environment gives
 * (the local platform passes its own feedback store and event files).
 */
export function createChannelFromEnv(
  overrides: Partial<ChannelDeps> = {},
): (event: APIGatewayProxyEventV2) => Promise<HttpResult> {
  return createChannelHandler({
    lex,
    botId: requireEnv(ChannelEnv.BOT_ID),
    botAliasId: requireEnv(ChannelEnv.BOT_ALIAS_ID),
    locales: localesEnv(ChannelEnv.BOT_LOCALES),
    logger,
    metrics,
    gate: gateFromEnv(),
    feedback: feedbackFromEnv(),
    lexTimeoutMs: numberEnv(LEX_TIMEOUT_MS_ENV, 8000),
    ...overrides,
  });
}

export const handler = async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
  if (context) logger.addContext(context);
  channel ??= createChannelFromEnv();
  return channel(event);
};

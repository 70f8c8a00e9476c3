/**
 * Lambda entry point of the Lex V2 code hook (dialog + fulfillment). Thin: reads the
 * environment (contracts/runtime-env.ts names), builds the AWS adapters and Powertools
 * once per container, and composes them with composeFulfillment (src/fulfillment/compose.ts,
 * the composition the local platform uses too).
 *
 * Module init creates only what every turn needs (DynamoDB and Kinesis clients); the rest lives
 * in chunks (src/chunks) outside the main bundle: Secrets Manager + Redis are loaded and
 * connected on the first turn; Comprehend (Lex sends most turns' sentiment), Translate,
 * Polly/S3, Bedrock with its adapter (knowledge questions, when KNOWLEDGE_BASE_IDS is set) and SQS
 * (the ticket queue) by the first turn that needs them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
/**
 * The model as written, not re-validated at every cold start (~1.5 ms): the Lex construct
 * validated the same source at synth, and refuses a broken model.
 */
import { BOT_MODEL, LOCALES } from '../../contracts/bot-model';
import { FULFILLMENT_SERVICE, METRIC_NAMESPACE, Metric } from '../../contracts/metrics';
import { FulfillmentEnv } from '../../contracts/runtime-env';
import {
  ComprehendLanguageDetector,
  ComprehendSentimentAnalyzer,
  lazyComprehend,
} from '../adapters/comprehend';
import { knowledgeOptionsFromEnv } from '../adapters/bedrock-knowledge';
import { DeferredKnowledgeBase } from '../adapters/deferred-knowledge-base';
import { DeferredSessionStore } from '../adapters/deferred-session-store';
import { DynamoContextStore } from '../adapters/dynamo-context-store';
import { httpHandler } from '../adapters/http';
import { httpsOrderLookup } from '../adapters/https-order-lookup';
import { KinesisEventSink } from '../adapters/kinesis-event-sink';
import { PollySpeechSynthesizer } from '../adapters/polly-speech';
import { SqsTicketQueue } from '../adapters/sqs-ticket-queue';
import { AwsTranslator } from '../adapters/translate';
import { loadChunk } from '../chunks';
import { booleanEnv, localesEnv, numberEnv, optionalEnv, requireEnv } from '../env';
import { supportDeskEnv } from '../tickets/support-desk';
import { composeFulfillment } from '../fulfillment/compose';
import type { FulfillmentConfig } from '../fulfillment/deps';

const E = FulfillmentEnv;

const logger = new Logger({ serviceName: process.env[E.SERVICE_NAME] ?? FULFILLMENT_SERVICE });
const metrics = new Metrics({
  namespace: process.env[E.METRICS_NAMESPACE] ?? METRIC_NAMESPACE,
  serviceName: process.env[E.SERVICE_NAME] ?? FULFILLMENT_SERVICE,
});
/**
 * Every outbound call is an AWS SDK call, traced through captureAWSv3Client (Redis is not HTTP),
 * so the global http/https/fetch patching would add nothing but init work.
 */
const tracer = new Tracer({
  serviceName: process.env[E.SERVICE_NAME] ?? FULFILLMENT_SERVICE,
  captureHTTPsRequests: false,
});

const config: FulfillmentConfig = {
  environment: optionalEnv(E.ENVIRONMENT) ?? 'dev',
  ttlDays: numberEnv(E.TTL_DAYS, 30),
  sessionTtlSeconds: Math.round(numberEnv(E.SESSION_TTL_SECONDS, 1800)),
  locales: localesEnv(E.BOT_LOCALES),
  streamTranscripts: booleanEnv(E.STREAM_TRANSCRIPTS, false),
  dependencyTimeoutMs: numberEnv(E.DEPENDENCY_TIMEOUT_MS, 800),
  knowledgeTimeoutMs: numberEnv(E.KNOWLEDGE_TIMEOUT_MS, 6000),
  supportDesk: supportDeskEnv(E.SUPPORT_DESK),
};
const budget = config.dependencyTimeoutMs;
/**
 * Each client's own HTTP/1.1 handler (src/adapters/http.ts: Kinesis and Polly would default to
 * HTTP/2), with SDK-level timeouts matching the per-call budget; retries are few (the turn has a
 * deadline).
 */
const requestHandler = (): NodeHttpHandler =>
  httpHandler({ connectionTimeoutMs: Math.min(500, budget), requestTimeoutMs: budget });

const dynamo = tracer.captureAWSv3Client(
  new DynamoDBClient({ maxAttempts: 2, requestHandler: requestHandler() }),
);
const kinesis = tracer.captureAWSv3Client(
  new KinesisClient({ maxAttempts: 1, requestHandler: requestHandler() }),
);

/**
 * Redis is connected on the first turn: the `sessions` chunk (ioredis, Secrets Manager) is
 * loaded, the AUTH token fetched from Secrets Manager once per container, then the client built.
 */
const sessions = new DeferredSessionStore(async () => {
  const { cachedSecret, createRedisClient, RedisSessionStore, SecretsManagerClient } =
    await loadChunk('sessions');
  const secretArn = optionalEnv(E.REDIS_AUTH_SECRET_ARN);
  const password = secretArn
    ? await cachedSecret(
        tracer.captureAWSv3Client(
          new SecretsManagerClient({ maxAttempts: 2, requestHandler: httpHandler() }),
        ),
        secretArn,
      )()
    : undefined;
  const url = optionalEnv(E.REDIS_URL);
  const redis = createRedisClient({
    ...(url ? { url } : { host: requireEnv(E.REDIS_HOST), port: numberEnv(E.REDIS_PORT, 6379) }),
    tls: booleanEnv(E.REDIS_TLS, !url),
    ...(password ? { password } : {}),
    connectTimeoutMs: Math.max(budget, 1000),
    commandTimeoutMs: budget,
  });
  redis.on('error', (err: Error) => logger.warn('redis connection error', { errorName: err.name }));
  return new RedisSessionStore(redis, { ttlSeconds: config.sessionTtlSeconds });
});

const comprehend = lazyComprehend((mod) =>
  tracer.captureAWSv3Client(new mod.ComprehendClient({ maxAttempts: 1, requestHandler: requestHandler() })),
);

/**
 * A Secrets Manager secret read on first use, through the `sessions` chunk (its client is loaded
 * there for the Redis AUTH token anyway), cached per container.
 */
function chunkSecret(secretArn: string): () => Promise<string> {
  let read: (() => Promise<string>) | undefined;
  return async () => {
    if (!read) {
      const { cachedSecret, SecretsManagerClient } = await loadChunk('sessions');
      read = cachedSecret(
        tracer.captureAWSv3Client(
          new SecretsManagerClient({ maxAttempts: 2, requestHandler: httpHandler() }),
        ),
        secretArn,
      );
    }
    return read();
  };
}

/** The company's order system, when this environment has one (config `orders`); else order turns say they cannot check. */
const orderSourceUrl = optionalEnv(E.ORDER_SOURCE_URL);
const orders = orderSourceUrl
  ? httpsOrderLookup({
      baseUrl: orderSourceUrl,
      token: chunkSecret(requireEnv(E.ORDER_SOURCE_SECRET_ARN)),
      timeoutMs: numberEnv(E.ORDER_TIMEOUT_MS, 1500),
    })
  : undefined;

const audioBucket = optionalEnv(E.AUDIO_BUCKET);
const ticketQueueUrl = optionalEnv(E.TICKET_QUEUE_URL);

/**
 * Knowledge answers (off without KNOWLEDGE_BASE_IDS): the adapter and the Bedrock clients are
 * loaded (the `knowledge` chunk) and created on the first knowledge question, the clients with the
 * knowledge budget as their request timeout (the turn also aborts them at that deadline) and one
 * retry (a throttled call retried once, inside the deadline).
 */
const knowledgeOptions = knowledgeOptionsFromEnv(
  process.env,
  Object.fromEntries(LOCALES.map((l) => [l, BOT_MODEL.locales[l].languageCode])) as Record<
    (typeof LOCALES)[number],
    string
  >,
);
const knowledgeHandler = (): NodeHttpHandler =>
  httpHandler({ connectionTimeoutMs: 1000, requestTimeoutMs: config.knowledgeTimeoutMs ?? 6000 });
const knowledge = knowledgeOptions
  ? new DeferredKnowledgeBase(async () => {
      const { BedrockKnowledgeBase } = await loadChunk('knowledge');
      return new BedrockKnowledgeBase(
        {
          agentRuntime: (mod) =>
            tracer.captureAWSv3Client(
              new mod.BedrockAgentRuntimeClient({ maxAttempts: 2, requestHandler: knowledgeHandler() }),
            ),
          runtime: (mod) =>
            tracer.captureAWSv3Client(
              new mod.BedrockRuntimeClient({ maxAttempts: 2, requestHandler: knowledgeHandler() }),
            ),
        },
        knowledgeOptions,
      );
    })
  : undefined;

export const handler = composeFulfillment(
  {
    sessions,
    context: new DynamoContextStore(
      DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      { tableName: requireEnv(E.TABLE_NAME), ttlDays: config.ttlDays },
    ),
    events: new KinesisEventSink(kinesis, {
      streamName: requireEnv(E.STREAM_NAME),
      timeoutMs: budget,
      onRetry: (records) => metrics.addMetric(Metric.EventsRetried, MetricUnit.Count, records),
    }),
    sentiment: new ComprehendSentimentAnalyzer(comprehend),
    languageDetector: new ComprehendLanguageDetector(comprehend),
    translator: new AwsTranslator((mod) =>
      tracer.captureAWSv3Client(
        new mod.TranslateClient({ maxAttempts: 1, requestHandler: requestHandler() }),
      ),
    ),
    speech: audioBucket
      ? new PollySpeechSynthesizer(
          {
            polly: (mod) =>
              tracer.captureAWSv3Client(
                new mod.PollyClient({ maxAttempts: 1, requestHandler: requestHandler() }),
              ),
            s3: (mod) =>
              tracer.captureAWSv3Client(new mod.S3Client({ maxAttempts: 2, requestHandler: httpHandler() })),
          },
          {
            bucketName: audioBucket,
            voices: Object.fromEntries(LOCALES.map((l) => [l, BOT_MODEL.locales[l].voiceId])) as Record<
              (typeof LOCALES)[number],
              string
            >,
          },
        )
      : undefined,
    knowledge,
    tickets: ticketQueueUrl
      ? new SqsTicketQueue(
          (mod) =>
            tracer.captureAWSv3Client(
              new mod.SQSClient({ maxAttempts: 2, requestHandler: requestHandler() }),
            ),
          { queueUrl: ticketQueueUrl },
        )
      : undefined,
    orders,
  },
  { config, model: BOT_MODEL, logger, metrics, tracer },
);

/** Closes the Redis connection (graceful shutdown, tests). */
export async function shutdown(): Promise<void> {
  await sessions.close();
}

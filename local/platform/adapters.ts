/**
 * The local stand-ins for the AWS services the fulfillment handler talks to, started in
 * parallel where they can be: the NLU (nlp.js trained from the bot model, for the Lex runtime
 * and sentiment), DynamoDB (dynalite), sessions (Redis, a child redis-server, or memory), the
 * event sink (NDJSON files), metrics (EMF to a file), and, with LOCAL_USE_AWS=true and
 * credentials, real Comprehend, Translate and Polly. Each says in one line what it stands in
 * for (printed at start-up).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import type Redis from 'ioredis';
import { localized, type BotModel, type LocaleId } from '../../contracts/bot-model/types';
import { FULFILLMENT_SERVICE, METRIC_NAMESPACE } from '../../contracts/metrics';
import { ConversationTableSchema } from '../../contracts/runtime-env';
import type { EnvironmentConfig } from '../../lib/config/types';
import { DynamoContextStore } from '../../src/adapters/dynamo-context-store';
import { DynamoFeedbackStore } from '../../src/adapters/dynamo-feedback-store';
import type { FeedbackPorts } from '../../src/channel/create-handler';
import { createRedisClient, RedisSessionStore } from '../../src/adapters/redis-session-store';
import type { FulfillmentPorts } from '../../src/fulfillment/compose';
import type {
  ContextStore,
  ConversationEvent,
  EventSink,
  LanguageDetector,
  SentimentAnalyzer,
  SessionStore,
  SpeechSynthesizer,
  Translator,
} from '../../src/ports';
import { BufferedEventSink } from '../adapters/buffered-event-sink';
import { DeadLetterFile } from '../adapters/dead-letter';
import { FileMetrics } from '../adapters/file-metrics';
import { InMemorySessionStore } from '../adapters/memory-session-store';
import { FIREHOSE_PREFIX, NdjsonEventSink } from '../adapters/ndjson-event-sink';
import { NlpSentimentAnalyzer } from '../adapters/nlp-sentiment';
import {
  faultyContextStore,
  faultyFeedbackStore,
  faultyOrderLookup,
  faultyEventSink,
  faultySentiment,
  faultySessionStore,
  type LocalFaults,
} from '../faults';
import { LocalNlu } from '../nlu/local-nlu';
import { startLocalDynamo, type LocalDynamo } from '../stores/dynamo';
import { fileOrderLookup, SAMPLE_ORDERS_FILE } from '../orders/file-order-lookup';
import { startLocalTickets, type LocalTickets } from '../tickets';
import { redact, resolveRedis, type RedisResolution } from '../stores/redis';
import type { Cleanup, LocalPlatformOptions, SessionsInfo } from './types';

/** Per-call budget of the local fulfillment handler, ms. */
export const LOCAL_DEPENDENCY_TIMEOUT_MS = 1000;

export interface AdapterSettings {
  readonly model: BotModel;
  readonly env: EnvironmentConfig;
  readonly locales: LocaleId[];
  readonly dataDir: string;
  /** Powertools log level of the handler's logger. */
  readonly logLevel: string;
  readonly options: Pick<
    LocalPlatformOptions,
    'sessions' | 'redisUrl' | 'redisKeyPrefix' | 'eventBuffer' | 'tickets'
  >;
  /** The fault switches every port is wrapped with. */
  readonly faults: LocalFaults;
}

/** Comprehend, Translate and Polly: real ones, or nlp.js sentiment and nothing else. */
export interface LanguageAdapters {
  /** Real AWS services (LOCAL_USE_AWS=true with credentials). */
  readonly aws: boolean;
  readonly sentiment: SentimentAnalyzer;
  readonly languageDetector?: LanguageDetector;
  readonly translator?: Translator;
  readonly speech?: SpeechSynthesizer;
}

export interface LocalAdapters {
  readonly nlu: LocalNlu;
  readonly dynamo: LocalDynamo;
  readonly sessions: SessionStore;
  readonly sessionsInfo: SessionsInfo;
  /** The Redis connection, for /v1/health (none with the in-memory store). */
  readonly redisClient: Redis | undefined;
  /** NDJSON files behind a retry buffer and a dead-letter file. */
  readonly events: BufferedEventSink;
  readonly deadLetter: DeadLetterFile;
  readonly metrics: FileMetrics;
  readonly logger: Logger;
  readonly language: LanguageAdapters;
  /** The ticket queue, worker, table and bus file (local/tickets). */
  readonly tickets: LocalTickets;
  /** The fulfillment handler's ports. */
  readonly ports: FulfillmentPorts;
  /**
   * The channel's feedback ports: stored with the turn in the dynalite conversation table (behind
   * the `dynamodb` fault switch), emitted into the same NDJSON event files as the turns' events.
   */
  readonly feedback: FeedbackPorts;
  /**
   * Substitution lines: the NLU's, and the services' (DynamoDB ... Polly) in start-up order;
   * built when printed (the AWS region may be set by then).
   */
  lines(): { nlu: string; services: string[] };
}

/** Starts every stand-in; each one started pushes its shutdown step onto `cleanup`. */
export async function startAdapters(settings: AdapterSettings, cleanup: Cleanup): Promise<LocalAdapters> {
  const { model, env, locales, dataDir } = settings;
  const useAws = process.env.LOCAL_USE_AWS === 'true' && hasAwsCredentials();
  let nluMs = 0;
  const tNlu = performance.now();
  const [nlu, dynamo, redisResolution] = await Promise.all([
    LocalNlu.train(model, { threshold: env.bot.nluConfidenceThreshold, locales }).then((n) => {
      nluMs = performance.now() - tNlu;
      return n;
    }),
    startLocalDynamo(),
    settings.options.sessions === 'memory'
      ? Promise.resolve<RedisResolution>({ kind: 'none', reason: 'sessions: memory was asked for' })
      : resolveRedis({
          ...(settings.options.redisUrl ? { url: settings.options.redisUrl } : {}),
          workDir: dataDir,
        }),
  ]);
  cleanup.push(() => dynamo.stop());
  if (redisResolution.kind === 'child') cleanup.push(() => redisResolution.stop());
  const keyPrefix = settings.options.redisKeyPrefix ?? 'local:';
  const { sessions, sessionsInfo, redisClient } = await startSessions(redisResolution, keyPrefix, env);
  cleanup.push(async () => {
    await sessions.close?.();
  });
  const { events, deadLetter, metrics } = startRecording(settings, cleanup);
  const logger = new Logger({ serviceName: FULFILLMENT_SERVICE, logLevel: settings.logLevel as 'WARN' });
  const language = useAws
    ? await awsAdapters(model, LOCAL_DEPENDENCY_TIMEOUT_MS)
    : { aws: false, sentiment: new NlpSentimentAnalyzer((text, lang) => nlu.sentiment(text, lang)) };
  const context = new DynamoContextStore(dynamo.doc, {
    tableName: dynamo.tableName,
    ttlDays: env.dynamodb.ttlDays,
  });
  const tickets = await startLocalTickets({
    dynamo,
    env,
    dataDir,
    faults: settings.faults,
    logger,
    ...(settings.options.tickets ? { options: settings.options.tickets } : {}),
  });
  cleanup.push(() => tickets.stop());
  const ordersFile = process.env.ORDERS_FILE || SAMPLE_ORDERS_FILE;
  const orders = faultyOrderLookup(fileOrderLookup(ordersFile), settings.faults);
  return {
    nlu,
    dynamo,
    sessions,
    sessionsInfo,
    redisClient,
    events,
    deadLetter,
    metrics,
    logger,
    language,
    tickets,
    feedback: {
      store: faultyFeedbackStore(
        new DynamoFeedbackStore(dynamo.doc, { tableName: dynamo.tableName }),
        settings.faults,
      ),
      // the event files take any event keyed by conversation and turn: feedback events go with the turns'
      events: { put: (feedback) => events.put(feedback as unknown as ConversationEvent[]) },
    },
    ports: {
      ...portsOf({ sessions, context, events, language }, settings.faults),
      tickets: tickets.port,
      orders,
    },
    lines: () => ({
      nlu: nluLine(model, env, locales, nluMs),
      services: [
        dynamoLine(dynamo),
        redisLine(redisResolution, keyPrefix),
        `Kinesis + Firehose   -> NDJSON files ${join(dataDir, FIREHOSE_PREFIX)}`,
        `CloudWatch (EMF)     -> ${metrics.file}`,
        ...languageLines(language),
        ...tickets.lines(),
        `Order system         -> sample orders file ${ordersFile} (ORDERS_FILE)`,
      ],
    }),
  };
}

/** The fulfillment handler's ports; sessions, context, events and sentiment behind their fault switch. */
function portsOf(
  parts: { sessions: SessionStore; context: ContextStore; events: EventSink; language: LanguageAdapters },
  faults: LocalFaults,
): FulfillmentPorts {
  const { sentiment, languageDetector, translator, speech } = parts.language;
  return {
    sessions: faultySessionStore(parts.sessions, faults),
    context: faultyContextStore(parts.context, faults),
    events: parts.events,
    sentiment: faultySentiment(sentiment, faults),
    languageDetector,
    translator,
    speech,
  };
}

/**
 * Events (NDJSON files, behind the retry buffer and the dead-letter file) and metrics (EMF file),
 * each behind its fault switch. Stopping writes what they still hold.
 */
function startRecording(
  settings: AdapterSettings,
  cleanup: Cleanup,
): { events: BufferedEventSink; deadLetter: DeadLetterFile; metrics: FileMetrics } {
  const { dataDir, faults } = settings;
  const deadLetter = new DeadLetterFile(dataDir);
  const files = new NdjsonEventSink(dataDir);
  cleanup.push(() => files.close()); // after the buffer's last delivery (cleanup runs in reverse)
  const events = new BufferedEventSink(
    faultyEventSink(files, faults),
    deadLetter,
    settings.options.eventBuffer,
  );
  cleanup.push(() => events.close());
  const metrics = new FileMetrics({
    namespace: METRIC_NAMESPACE,
    serviceName: FULFILLMENT_SERVICE,
    dataDir,
    check: () => faults.check('metrics'),
  });
  cleanup.push(async () => {
    metrics.writePending();
  });
  return { events, deadLetter, metrics };
}

/** Redis (connected now: the first turn should not pay for it), or the in-memory store. */
async function startSessions(
  redisResolution: RedisResolution,
  keyPrefix: string,
  env: EnvironmentConfig,
): Promise<{ sessions: SessionStore; sessionsInfo: SessionsInfo; redisClient: Redis | undefined }> {
  if (redisResolution.kind === 'none') {
    return {
      sessions: new InMemorySessionStore(env.redis.sessionTtlSeconds),
      sessionsInfo: { kind: 'memory', keyPrefix },
      redisClient: undefined,
    };
  }
  const redisClient = createRedisClient({
    url: redisResolution.url,
    connectTimeoutMs: 1000,
    commandTimeoutMs: 500,
  });
  redisClient.on('error', () => undefined); // reported through /v1/health and degraded counters
  await redisClient.connect().catch(() => undefined);
  return {
    sessions: new RedisSessionStore(redisClient, { ttlSeconds: env.redis.sessionTtlSeconds, keyPrefix }),
    sessionsInfo: {
      kind: redisResolution.kind === 'child' ? 'child-redis' : 'redis',
      url: redisResolution.url,
      keyPrefix,
    },
    redisClient,
  };
}

/** Real Comprehend/Translate (and Polly with AUDIO_BUCKET_NAME), only with LOCAL_USE_AWS=true. */
async function awsAdapters(model: BotModel, timeoutMs: number): Promise<LanguageAdapters> {
  const [comprehend, { AwsTranslator }, { PollySpeechSynthesizer }] = await Promise.all([
    import('../../src/adapters/comprehend'),
    import('../../src/adapters/translate'),
    import('../../src/adapters/polly-speech'),
  ]);
  const client = comprehend.lazyComprehend((mod) => new mod.ComprehendClient({ maxAttempts: 1 }));
  const bucket = process.env.AUDIO_BUCKET_NAME;
  return {
    aws: true,
    sentiment: new comprehend.ComprehendSentimentAnalyzer(client, { timeoutMs }),
    languageDetector: new comprehend.ComprehendLanguageDetector(client, { timeoutMs }),
    translator: new AwsTranslator((mod) => new mod.TranslateClient({ maxAttempts: 1 }), { timeoutMs }),
    ...(bucket
      ? {
          speech: new PollySpeechSynthesizer(
            { polly: (mod) => new mod.PollyClient({}), s3: (mod) => new mod.S3Client({}) },
            { bucketName: bucket, voices: localized((l) => model.locales[l].voiceId) },
          ),
        }
      : {}),
  };
}

export function hasAwsCredentials(): boolean {
  if (process.env.AWS_ACCESS_KEY_ID && process.env.AWS_ACCESS_KEY_ID !== 'local') return true;
  if (
    process.env.AWS_PROFILE ||
    process.env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
  )
    return true;
  const home = process.env.HOME ?? '';
  return !!home && existsSync(join(home, '.aws', 'credentials'));
}

// ---- substitution lines (printed at start-up, one each) -----------------------------------------

function nluLine(
  model: BotModel,
  env: EnvironmentConfig,
  locales: readonly LocaleId[],
  nluMs: number,
): string {
  const trainedUtterances = locales.reduce(
    (n, l) => n + model.intents.reduce((m, i) => m + i.utterances[l].length, 0),
    0,
  );
  return `Lex V2 NLU           -> nlp.js trained from contracts/bot-model (${trainedUtterances} utterances, ${Math.round(nluMs)} ms), fallback below confidence ${env.bot.nluConfidenceThreshold}`;
}

function dynamoLine(dynamo: LocalDynamo): string {
  return `DynamoDB             -> dynalite in-process at ${dynamo.endpoint}, table ${dynamo.tableName} (${ConversationTableSchema.partitionKey}/${ConversationTableSchema.sortKey}; TTL attribute ${ConversationTableSchema.ttlAttribute} written, not expired)`;
}

function redisLine(redisResolution: RedisResolution, keyPrefix: string): string {
  if (redisResolution.kind === 'external') {
    return `ElastiCache Redis    -> Redis at ${redact(redisResolution.url)} (no TLS, no AUTH), keys ${keyPrefix}conv:{id}:session`;
  }
  if (redisResolution.kind === 'child') {
    return `ElastiCache Redis    -> child redis-server (pid ${redisResolution.pid}) at ${redisResolution.url}, no persistence`;
  }
  return `ElastiCache Redis    -> IN-MEMORY session store (${redisResolution.reason}); sessions are lost on restart`;
}

function languageLines(language: LanguageAdapters): string[] {
  if (language.aws) {
    return [
      `Comprehend           -> real Amazon Comprehend (LOCAL_USE_AWS=true), region ${process.env.AWS_REGION ?? 'default'}`,
      `Translate            -> real Amazon Translate (LOCAL_USE_AWS=true)`,
      `Polly                -> ${language.speech ? `real Amazon Polly, audio to s3://${process.env.AUDIO_BUCKET_NAME}` : 'off (set AUDIO_BUCKET_NAME for speech)'}`,
    ];
  }
  return [
    `Comprehend           -> nlp.js sentiment (en, es); no language detection${process.env.LOCAL_USE_AWS === 'true' ? ' (LOCAL_USE_AWS=true but no AWS credentials found)' : ''}`,
    `Translate            -> off (set LOCAL_USE_AWS=true with AWS credentials to use Amazon Translate)`,
    `Polly                -> off (set LOCAL_USE_AWS=true with AWS credentials and AUDIO_BUCKET_NAME)`,
  ];
}

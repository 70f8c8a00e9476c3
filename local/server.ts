/**
 * The local platform (`npm start`): the whole conversation path on one machine, no AWS.
 *
 *   HTTP  POST /v1/conversations/{id}/messages
 *     -> the REAL channel Lambda handler (src/handlers/channel.ts), fed the API Gateway HTTP API
 *        v2 event; its own LexRuntimeV2Client is pointed (LEX_ENDPOINT_URL) at
 *     -> the local Lex V2 runtime on the same port (RecognizeText REST protocol), whose NLU is
 *        nlp.js trained from contracts/bot-model, and whose code hook is
 *     -> the REAL fulfillment logic (createFulfillmentHandler) with local adapters:
 *        dynalite (DynamoDB), Redis / child redis-server / in-memory (sessions), NDJSON files
 *        (Kinesis -> Firehose -> S3), nlp.js sentiment (Comprehend), EMF to a file (CloudWatch).
 *   GET /            the web chat page (local/web)
 *   GET /v1/health   every dependency's state
 *
 * Every substitution is printed at start-up, one line each.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type Redis from 'ioredis';
import { LOCALES, localized, type BotModel, type LocaleId } from '../contracts/bot-model/types';
import { DEV } from '../lib/config/environments';
import type { EnvironmentConfig } from '../lib/config/types';
import { FULFILLMENT_SERVICE, METRIC_NAMESPACE } from '../contracts/metrics';
import { ConversationTableSchema } from '../contracts/runtime-env';
import { DynamoContextStore } from '../src/adapters/dynamo-context-store';
import { createRedisClient, RedisSessionStore } from '../src/adapters/redis-session-store';
import { createFulfillmentHandler } from '../src/fulfillment/create-handler';
import type {
  LanguageDetector,
  SentimentAnalyzer,
  SessionStore,
  SpeechSynthesizer,
  Translator,
} from '../src/ports';
import { FileMetrics } from './adapters/file-metrics';
import { InMemorySessionStore } from './adapters/memory-session-store';
import { NdjsonEventSink, FIREHOSE_PREFIX } from './adapters/ndjson-event-sink';
import { NlpSentimentAnalyzer } from './adapters/nlp-sentiment';
import { createDualServer } from './dual-protocol';
import { lambdaContext, matchRoute, toApiGatewayEvent, writeLambdaResult, type Route } from './api-gateway';
import { handleRecognizeText, matchRecognizeText } from './lex/lex-http';
import { LexRuntime, type BotIdentity } from './lex/lex-runtime';
import { LocalNlu } from './nlu/local-nlu';
import { startLocalDynamo, type LocalDynamo } from './stores/dynamo';
import { redact, resolveRedis, type RedisResolution } from './stores/redis';

/** The ids the local Lex runtime answers to (Lex ids are 10 characters). */
export const LOCAL_BOT_ID = 'LOCALBOTID';
export const LOCAL_BOT_ALIAS_ID = 'LOCALALIAS';
/** Lex's test bot/alias placeholders, accepted as well. */
export const TEST_BOT_ID = 'TSTBOTID00';
export const TEST_BOT_ALIAS_ID = 'TSTALIASID';

const MESSAGES_ROUTE: Route = { method: 'POST', template: '/v1/conversations/{conversationId}/messages' };
const MAX_BODY_BYTES = 1024 * 1024;
const WEB_DIR = join(__dirname, 'web');
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/styles.css': { file: 'styles.css', type: 'text/css; charset=utf-8' },
};

export interface LocalPlatformOptions {
  /** @default PORT or 3000; 0 = a free port */
  port?: number;
  /** @default HOST or 127.0.0.1 */
  host?: string;
  /** @default REDIS_URL or redis://127.0.0.1:6379 */
  redisUrl?: string;
  /** @default LOCAL_DATA_DIR or .local-data */
  dataDir?: string;
  /** No console output (tests). */
  quiet?: boolean;
  /** Prefix of the Redis session keys (tests use a unique one). @default 'local:' */
  redisKeyPrefix?: string;
  /** Session store choice: 'auto' (Redis, else child redis-server, else memory) or 'memory'. @default 'auto' */
  sessions?: 'auto' | 'memory';
  /** The environment config whose bot/Redis/DynamoDB settings apply. @default DEV */
  environment?: EnvironmentConfig;
  /** The bot model. @default BOT_MODEL */
  model?: BotModel;
}

export interface LocalPlatform {
  readonly url: string;
  readonly port: number;
  readonly startupMs: number;
  /** One line per substitution, as printed at start-up. */
  readonly substitutions: readonly string[];
  readonly bot: BotIdentity;
  readonly dataDir: string;
  readonly dynamo: Pick<LocalDynamo, 'endpoint' | 'tableName' | 'doc'>;
  readonly sessions: {
    readonly kind: 'redis' | 'child-redis' | 'memory';
    readonly url?: string;
    readonly keyPrefix: string;
  };
  readonly events: NdjsonEventSink;
  readonly lex: LexRuntime;
  readonly nlu: LocalNlu;
  stop(): Promise<void>;
}

type ChannelHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<unknown>;

/** The channel module reads its Lex endpoint at import; remember which platform it was bound to. */
let channelModuleBoundTo: string | undefined;

export async function startLocalPlatform(opts: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const t0 = performance.now();
  const log = opts.quiet ? (): void => undefined : (line: string): void => console.log(line);
  const env = opts.environment ?? DEV;
  const { BOT_MODEL, validateBotModel } = await import('../contracts/bot-model');
  const model = validateBotModel(opts.model ?? BOT_MODEL);
  const locales = LOCALES.filter((l) => l in model.locales);
  const dataDir = resolve(opts.dataDir ?? process.env.LOCAL_DATA_DIR ?? '.local-data');
  mkdirSync(dataDir, { recursive: true });
  const substitutions: string[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  const sub = (line: string): void => {
    substitutions.push(line);
    log(`  ${line}`);
  };

  // Powertools in a terminal: warnings and errors only (LOG_LEVEL / POWERTOOLS_LOG_LEVEL win);
  // EMF goes to a file (FileMetrics), not stdout; no X-Ray daemon locally.
  const logLevel = opts.quiet
    ? 'SILENT'
    : (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'WARN');
  process.env.POWERTOOLS_LOG_LEVEL ??= logLevel;
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';

  const useAws = process.env.LOCAL_USE_AWS === 'true' && hasAwsCredentials();
  let nluMs = 0;

  try {
    // ---- independent start-up work, in parallel ----------------------------------------------
    const tNlu = performance.now();
    const [nlu, dynamo, redisResolution] = await Promise.all([
      LocalNlu.train(model, { threshold: env.bot.nluConfidenceThreshold, locales }).then((n) => {
        nluMs = performance.now() - tNlu;
        return n;
      }),
      startLocalDynamo(),
      opts.sessions === 'memory'
        ? Promise.resolve<RedisResolution>({ kind: 'none', reason: 'sessions: memory was asked for' })
        : resolveRedis({ ...(opts.redisUrl ? { url: opts.redisUrl } : {}), workDir: dataDir }),
    ]);
    cleanup.push(() => dynamo.stop());
    if (redisResolution.kind === 'child') cleanup.push(() => redisResolution.stop());

    // ---- sessions ----------------------------------------------------------------------------
    const keyPrefix = opts.redisKeyPrefix ?? 'local:';
    let sessions: SessionStore;
    let redisClient: Redis | undefined;
    let sessionsInfo: LocalPlatform['sessions'];
    if (redisResolution.kind === 'none') {
      sessions = new InMemorySessionStore(env.redis.sessionTtlSeconds);
      sessionsInfo = { kind: 'memory', keyPrefix };
    } else {
      redisClient = createRedisClient({
        url: redisResolution.url,
        connectTimeoutMs: 1000,
        commandTimeoutMs: 500,
      });
      redisClient.on('error', () => undefined); // reported through /v1/health and degraded counters
      await redisClient.connect().catch(() => undefined); // connect now: the first turn should not pay for it
      sessions = new RedisSessionStore(redisClient, { ttlSeconds: env.redis.sessionTtlSeconds, keyPrefix });
      sessionsInfo = {
        kind: redisResolution.kind === 'child' ? 'child-redis' : 'redis',
        url: redisResolution.url,
        keyPrefix,
      };
    }
    cleanup.push(async () => {
      await sessions.close?.();
    });

    // ---- the other adapters --------------------------------------------------------------------
    const events = new NdjsonEventSink(dataDir);
    cleanup.push(() => events.flush());
    const metrics = new FileMetrics({
      namespace: METRIC_NAMESPACE,
      serviceName: FULFILLMENT_SERVICE,
      dataDir,
    });
    const logger = new Logger({ serviceName: FULFILLMENT_SERVICE, logLevel: logLevel as 'WARN' });
    const dependencyTimeoutMs = 1000;
    let sentiment: SentimentAnalyzer;
    let languageDetector: LanguageDetector | undefined;
    let translator: Translator | undefined;
    let speech: SpeechSynthesizer | undefined;
    if (useAws) {
      const aws = await awsAdapters(model, dependencyTimeoutMs);
      sentiment = aws.sentiment;
      languageDetector = aws.languageDetector;
      translator = aws.translator;
      speech = aws.speech;
    } else {
      sentiment = new NlpSentimentAnalyzer((text, language) => nlu.sentiment(text, language));
    }
    const fulfillment = createFulfillmentHandler({
      sessions,
      context: new DynamoContextStore(dynamo.doc, {
        tableName: dynamo.tableName,
        ttlDays: env.dynamodb.ttlDays,
      }),
      events,
      sentiment,
      ...(languageDetector ? { languageDetector } : {}),
      ...(translator ? { translator } : {}),
      ...(speech ? { speech } : {}),
      metrics,
      logger,
      model,
      config: {
        environment: 'local',
        ttlDays: env.dynamodb.ttlDays,
        sessionTtlSeconds: env.redis.sessionTtlSeconds,
        locales,
        streamTranscripts: env.bot.streamTranscripts,
        dependencyTimeoutMs,
      },
    });

    // ---- the Lex runtime, whose code hook is the fulfillment handler ---------------------------
    const bot: BotIdentity = {
      id: LOCAL_BOT_ID,
      name: model.name,
      aliasId: LOCAL_BOT_ALIAS_ID,
      aliasName: 'live',
      version: '1',
    };
    const lex = new LexRuntime({
      nlu,
      bot,
      botIdAliases: [TEST_BOT_ID],
      aliasIdAliases: [TEST_BOT_ALIAS_ID],
      locales,
      idleSessionTtlSeconds: env.bot.idleSessionTtlSeconds,
      // The Lambda boundary: the event and the response cross it as JSON.
      codeHook: async (event) =>
        JSON.parse(JSON.stringify(await fulfillment(JSON.parse(JSON.stringify(event))))),
    });

    // ---- HTTP ------------------------------------------------------------------------------------
    let channel: ChannelHandler | undefined = undefined; // set once the server knows its URL
    const startedAt = new Date();
    const server = createDualServer((req, res) => {
      void route(req, res).catch((err: unknown) => {
        console.error('[local] request failed:', err);
        if (!res.headersSent)
          sendJson(res, 500, { error: { code: 'INTERNAL', message: 'local platform error' } });
        else res.end();
      });
    });

    async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const method = (req.method ?? 'GET').toUpperCase();
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const lexMatch = matchRecognizeText(method, path);
      if (lexMatch) {
        const body = await readBody(req, res);
        if (body !== undefined) await handleRecognizeText(lex, lexMatch, body, req, res);
        return;
      }
      if (path === '/v1/health' && (method === 'GET' || method === 'HEAD')) {
        const health = await healthReport();
        sendJson(res, health.status === 'ok' ? 200 : 503, health);
        return;
      }
      const params = matchRoute(MESSAGES_ROUTE, method, path);
      if (params) {
        const body = await readBody(req, res);
        if (body === undefined) return;
        const event = toApiGatewayEvent(req, MESSAGES_ROUTE, params, body);
        const result = await channel!(event, lambdaContext('local-channel', 10_000));
        writeLambdaResult(res, result);
        return;
      }
      const asset = STATIC[path];
      if (asset && (method === 'GET' || method === 'HEAD')) {
        const content = readFileSync(join(WEB_DIR, asset.file));
        res.writeHead(200, {
          'content-type': asset.type,
          'content-length': content.length,
          'cache-control': 'no-cache',
          'x-content-type-options': 'nosniff',
          'content-security-policy':
            "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'",
        });
        res.end(method === 'HEAD' ? undefined : content);
        return;
      }
      if (path === '/favicon.ico') {
        res.writeHead(204, { 'cache-control': 'max-age=86400' });
        res.end();
        return;
      }
      // API Gateway's answer for a route that does not exist
      sendJson(res, 404, { message: 'Not Found' });
    }

    async function healthReport(): Promise<Record<string, unknown> & { status: string }> {
      const [dynamoUp, redisUp] = await Promise.all([
        dynamo.client
          .send(new DescribeTableCommand({ TableName: dynamo.tableName }), {
            abortSignal: AbortSignal.timeout(1000),
          })
          .then((t) => t.Table?.TableStatus === 'ACTIVE')
          .catch(() => false),
        redisClient
          ? redisClient
              .ping()
              .then((p) => p === 'PONG')
              .catch(() => false)
          : Promise.resolve(true),
      ]);
      const dependencies = {
        lex: {
          state: 'up',
          kind: 'local-lex-runtime',
          botId: bot.id,
          botAliasId: bot.aliasId,
          locales,
          activeSessions: lex.sessionCount,
          codeHookInvocations: lex.invocations,
        },
        nlu: {
          state: 'up',
          kind: 'nlp.js',
          threshold: env.bot.nluConfidenceThreshold,
          intents: model.intents.length,
        },
        dynamodb: {
          state: dynamoUp ? 'up' : 'down',
          kind: 'dynalite',
          endpoint: dynamo.endpoint,
          table: dynamo.tableName,
        },
        sessions: {
          state: redisUp ? 'up' : 'down',
          kind: sessionsInfo.kind,
          ...(sessionsInfo.url ? { url: redact(sessionsInfo.url) } : {}),
        },
        events: { state: 'up', kind: 'ndjson', dir: join(dataDir, 'events'), written: events.count },
        sentiment: { state: 'up', kind: useAws ? 'comprehend' : 'nlp.js' },
        translation: { state: translator ? 'up' : 'off', kind: translator ? 'translate' : 'none' },
        speech: { state: speech ? 'up' : 'off', kind: speech ? 'polly' : 'none' },
      };
      // The user still gets answers with Redis down (degraded), so only DynamoDB/Lex make it "down".
      const status = !dynamoUp ? 'down' : redisUp ? 'ok' : 'degraded';
      return {
        status,
        environment: 'local',
        startedAt: startedAt.toISOString(),
        uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
        metrics: metrics.totals,
        dependencies,
      };
    }

    const requestedPort = opts.port ?? Number(process.env.PORT ?? 3000);
    const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
    await server.listen(requestedPort, host);
    cleanup.push(() => server.close());
    const { port } = server.net.address() as AddressInfo;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    // ---- the REAL channel Lambda handler, its Lex client pointed at this server ---------------
    channel = await loadChannelHandler(url, locales);

    const startupMs = Math.round(performance.now() - t0);
    const trainedUtterances = locales.reduce(
      (n, l) => n + model.intents.reduce((m, i) => m + i.utterances[l].length, 0),
      0,
    );
    log(`Local conversational platform (${model.name}) — substitutions for the AWS services:`);
    sub(
      `API Gateway HTTP API -> this server (${url}); POST /v1/conversations/{id}/messages runs the channel Lambda handler src/handlers/channel.ts`,
    );
    sub(
      `Lex V2 runtime       -> local RecognizeText at ${url}/bots/{botId}/botAliases/{aliasId}/botLocales/{locale}/sessions/{id}/text; bot id ${LOCAL_BOT_ID} (or ${TEST_BOT_ID}), alias id ${LOCAL_BOT_ALIAS_ID} (or ${TEST_BOT_ALIAS_ID}), locales ${locales.join(', ')}`,
    );
    sub(
      `Lex V2 NLU           -> nlp.js trained from contracts/bot-model (${trainedUtterances} utterances, ${Math.round(nluMs)} ms), fallback below confidence ${env.bot.nluConfidenceThreshold}`,
    );
    sub(`Lambda (code hook)   -> createFulfillmentHandler in-process (src/fulfillment/create-handler.ts)`);
    sub(
      `DynamoDB             -> dynalite in-process at ${dynamo.endpoint}, table ${dynamo.tableName} (${ConversationTableSchema.partitionKey}/${ConversationTableSchema.sortKey}; TTL attribute ${ConversationTableSchema.ttlAttribute} written, not expired)`,
    );
    if (redisResolution.kind === 'external') {
      sub(
        `ElastiCache Redis    -> Redis at ${redact(redisResolution.url)} (no TLS, no AUTH), keys ${keyPrefix}conv:{id}:session`,
      );
    } else if (redisResolution.kind === 'child') {
      sub(
        `ElastiCache Redis    -> child redis-server (pid ${redisResolution.pid}) at ${redisResolution.url}, no persistence`,
      );
    } else {
      sub(
        `ElastiCache Redis    -> IN-MEMORY session store (${redisResolution.reason}); sessions are lost on restart`,
      );
    }
    sub(`Kinesis + Firehose   -> NDJSON files ${join(dataDir, FIREHOSE_PREFIX)}`);
    sub(`CloudWatch (EMF)     -> ${metrics.file}`);
    if (useAws) {
      sub(
        `Comprehend           -> real Amazon Comprehend (LOCAL_USE_AWS=true), region ${process.env.AWS_REGION ?? 'default'}`,
      );
      sub(`Translate            -> real Amazon Translate (LOCAL_USE_AWS=true)`);
      sub(
        `Polly                -> ${speech ? `real Amazon Polly, audio to s3://${process.env.AUDIO_BUCKET_NAME}` : 'off (set AUDIO_BUCKET_NAME for speech)'}`,
      );
    } else {
      sub(
        `Comprehend           -> nlp.js sentiment (en, es); no language detection${process.env.LOCAL_USE_AWS === 'true' ? ' (LOCAL_USE_AWS=true but no AWS credentials found)' : ''}`,
      );
      sub(
        `Translate            -> off (set LOCAL_USE_AWS=true with AWS credentials to use Amazon Translate)`,
      );
      sub(`Polly                -> off (set LOCAL_USE_AWS=true with AWS credentials and AUDIO_BUCKET_NAME)`);
    }
    log(`Ready in ${startupMs} ms: open ${url}/ (health: ${url}/v1/health)`);

    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      startupMs,
      substitutions,
      bot,
      dataDir,
      dynamo: { endpoint: dynamo.endpoint, tableName: dynamo.tableName, doc: dynamo.doc },
      sessions: sessionsInfo,
      events,
      lex,
      nlu,
      stop() {
        stopping ??= runCleanup(cleanup);
        return stopping;
      },
    };
  } catch (err) {
    await runCleanup(cleanup);
    throw err;
  }
}
/** Stops in reverse order of start: HTTP first (no new turns), then events, sessions, stores. */
async function runCleanup(cleanup: (() => Promise<void>)[]): Promise<void> {
  for (const step of [...cleanup].reverse()) {
    try {
      await step();
    } catch (err) {
      console.error('[local] shutdown step failed:', (err as Error).message);
    }
  }
}

/**
 * Imports the channel Lambda module with its environment pointing at this server (bot ids,
 * locales, LEX_ENDPOINT_URL, a region and, without real credentials, dummy ones: the local Lex
 * runtime does not check signatures). The module builds its Lex client at import, so a second
 * platform in the same process (tests) gets the same handler factory with its own client.
 */
async function loadChannelHandler(url: string, locales: readonly LocaleId[]): Promise<ChannelHandler> {
  const { ChannelEnv } = await import('../contracts/runtime-env');
  process.env.AWS_REGION ??= 'us-east-1';
  if (!hasAwsCredentials()) {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
  }
  if (channelModuleBoundTo === undefined) {
    process.env.LEX_ENDPOINT_URL = url;
    process.env[ChannelEnv.BOT_ID] = LOCAL_BOT_ID;
    process.env[ChannelEnv.BOT_ALIAS_ID] = LOCAL_BOT_ALIAS_ID;
    process.env[ChannelEnv.BOT_LOCALES] = locales.join(',');
    process.env[ChannelEnv.ENVIRONMENT] = 'local';
    channelModuleBoundTo = url;
    const mod = await import('../src/handlers/channel');
    return mod.handler as ChannelHandler;
  }
  const [{ createChannelHandler }, { LexRuntimeV2Client }, { Metrics }] = await Promise.all([
    import('../src/channel/create-handler'),
    import('@aws-sdk/client-lex-runtime-v2'),
    import('@aws-lambda-powertools/metrics'),
  ]);
  const handler = createChannelHandler({
    lex: new LexRuntimeV2Client({ endpoint: url, region: process.env.AWS_REGION }),
    botId: LOCAL_BOT_ID,
    botAliasId: LOCAL_BOT_ALIAS_ID,
    locales: [...locales],
    logger: new Logger({ serviceName: 'channel' }),
    metrics: new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'channel' }),
  });
  return (event) => handler(event);
}

function hasAwsCredentials(): boolean {
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

/** Real Comprehend/Translate (and Polly with AUDIO_BUCKET_NAME), only with LOCAL_USE_AWS=true. */
async function awsAdapters(
  model: BotModel,
  timeoutMs: number,
): Promise<{
  sentiment: SentimentAnalyzer;
  languageDetector: LanguageDetector;
  translator: Translator;
  speech?: SpeechSynthesizer;
}> {
  const [comprehend, { AwsTranslator }, { PollySpeechSynthesizer }] = await Promise.all([
    import('../src/adapters/comprehend'),
    import('../src/adapters/translate'),
    import('../src/adapters/polly-speech'),
  ]);
  const client = comprehend.lazyComprehend((mod) => new mod.ComprehendClient({ maxAttempts: 1 }));
  const bucket = process.env.AUDIO_BUCKET_NAME;
  return {
    sentiment: new comprehend.ComprehendSentimentAnalyzer(client, { timeoutMs }),
    languageDetector: new comprehend.ComprehendLanguageDetector(client, { timeoutMs }),
    translator: new AwsTranslator((mod) => new mod.TranslateClient({ maxAttempts: 1 }), { timeoutMs }),
    ...(bucket
      ? {
          speech: new PollySpeechSynthesizer(
            { polly: (mod) => new mod.PollyClient({}), s3: (mod) => new mod.S3Client({}) },
            {
              bucketName: bucket,
              voices: localized((l) => model.locales[l].voiceId),
            },
          ),
        }
      : {}),
  };
}

async function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      sendJson(res, 413, { message: 'Request Entity Too Large' });
      req.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

// ---- npm start ------------------------------------------------------------------------------
if (require.main === module) {
  startLocalPlatform()
    .then((platform) => {
      let stopping = false;
      const shutdown = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: flushing events and stopping...`);
        platform
          .stop()
          .then(() => {
            console.log('Stopped.');
            process.exit(0);
          })
          .catch((err: unknown) => {
            console.error(err);
            process.exit(1);
          });
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    })
    .catch((err: unknown) => {
      console.error('The local platform did not start:', err);
      process.exit(1);
    });
}

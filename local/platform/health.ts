/**
 * GET /v1/health of the local platform: every dependency's state. "ok"; "degraded" when turns
 * still answer but something is not right: the sessions store or sentiment is down, events are
 * waiting for delivery (buffered, or in the dead-letter file until `npm run events:replay`), or
 * metric documents are waiting for their file; "down" when DynamoDB is down. A dependency
 * switched off by a fault switch reports as it would in a real outage; `faults` lists them.
 */
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { BotModel, LocaleId } from '../../contracts/bot-model/types';
import type { EnvironmentConfig } from '../../lib/config/types';
import type { LocalFaults } from '../faults';
import type { BotIdentity, LexRuntime } from '../lex/lex-runtime';
import { redact } from '../stores/redis';
import type { LocalAdapters } from './adapters';

export type HealthReport = Record<string, unknown> & { status: string };

export interface HealthSources {
  readonly adapters: LocalAdapters;
  readonly lex: LexRuntime;
  readonly bot: BotIdentity;
  readonly locales: readonly LocaleId[];
  readonly model: BotModel;
  readonly env: EnvironmentConfig;
  readonly dataDir: string;
  readonly faults: LocalFaults;
  readonly startedAt: Date;
}

type State = 'up' | 'degraded' | 'down' | 'off';

export function createHealth(sources: HealthSources): () => Promise<HealthReport> {
  return async () => {
    const { adapters, startedAt, faults } = sources;
    const [dynamoUp, redisUp] = await Promise.all([dynamoIsUp(adapters), redisIsUp(adapters)]);
    const up = { dynamo: dynamoUp && !faults.has('dynamodb'), redis: redisUp && !faults.has('redis') };
    const deps = dependencies(sources, up.dynamo, up.redis);
    // The user still gets answers with Redis, events, metrics or sentiment down (degraded), so
    // only DynamoDB makes it "down".
    const degraded = Object.values(deps).some((d) => d.state === 'down' || d.state === 'degraded');
    const status = !up.dynamo ? 'down' : degraded ? 'degraded' : 'ok';
    return {
      status,
      environment: 'local',
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      faults: faults.list(),
      metrics: adapters.metrics.totals,
      dependencies: deps,
    };
  };
}

function dynamoIsUp({ dynamo }: LocalAdapters): Promise<boolean> {
  return dynamo.client
    .send(new DescribeTableCommand({ TableName: dynamo.tableName }), {
      abortSignal: AbortSignal.timeout(1000),
    })
    .then((t) => t.Table?.TableStatus === 'ACTIVE')
    .catch(() => false);
}

function redisIsUp({ redisClient }: LocalAdapters): Promise<boolean> {
  return redisClient
    ? redisClient
        .ping()
        .then((p) => p === 'PONG')
        .catch(() => false)
    : Promise.resolve(true);
}

function dependencies(
  sources: HealthSources,
  dynamoUp: boolean,
  redisUp: boolean,
): Record<string, { state: State } & Record<string, unknown>> {
  const { adapters, lex, bot, env, faults } = sources;
  const { dynamo, sessionsInfo, language } = adapters;
  return {
    lex: {
      state: 'up',
      kind: 'local-lex-runtime',
      botId: bot.id,
      botAliasId: bot.aliasId,
      locales: sources.locales,
      activeSessions: lex.sessionCount,
      codeHookInvocations: lex.invocations,
    },
    nlu: {
      state: 'up',
      kind: 'nlp.js',
      threshold: env.bot.nluConfidenceThreshold,
      intents: sources.model.intents.length,
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
    events: eventsHealth(sources),
    metrics: metricsHealth(adapters, faults),
    sentiment: {
      state: faults.has('sentiment') ? 'down' : 'up',
      kind: language.aws ? 'comprehend' : 'nlp.js',
    },
    translation: {
      state: language.translator ? 'up' : 'off',
      kind: language.translator ? 'translate' : 'none',
    },
    speech: { state: language.speech ? 'up' : 'off', kind: language.speech ? 'polly' : 'none' },
  };
}

/**
 * "down" while the files do not take events (they are buffered), "degraded" while events wait in
 * the buffer or the dead-letter file, "up" when everything answered has been written.
 */
function eventsHealth({
  adapters,
  dataDir,
  faults,
}: HealthSources): { state: State } & Record<string, unknown> {
  const { events, deadLetter } = adapters;
  const stats = events.stats;
  const deadLetterPending = deadLetter.pending();
  const failing = faults.has('events') || (stats.failing && stats.buffered > 0);
  const waiting = stats.buffered > 0 || deadLetterPending > 0 || stats.lost > 0;
  return {
    state: failing ? 'down' : waiting ? 'degraded' : 'up',
    kind: 'ndjson',
    dir: join(dataDir, 'events'),
    written: stats.delivered,
    buffered: stats.buffered,
    deadLettered: stats.deadLettered,
    lost: stats.lost,
    deadLetter: {
      file: deadLetter.file,
      pending: deadLetterPending,
      ...(deadLetterPending ? { replay: 'npm run events:replay' } : {}),
    },
    ...(stats.lastError ? { lastError: stats.lastError } : {}),
  };
}

function metricsHealth(
  { metrics }: LocalAdapters,
  faults: LocalFaults,
): { state: State } & Record<string, unknown> {
  const file = metrics.fileState;
  const state = faults.has('metrics') ? 'down' : file.pending > 0 || file.dropped > 0 ? 'degraded' : 'up';
  return { state, kind: 'emf-file', file: metrics.file, ...file };
}

/**
 * GET /v1/health of the local platform: every dependency's state. "ok", "degraded" (the
 * sessions store is down: turns still answer) or "down" (DynamoDB is down).
 */
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { BotModel, LocaleId } from '../../contracts/bot-model/types';
import type { EnvironmentConfig } from '../../lib/config/types';
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
  readonly startedAt: Date;
}

export function createHealth(sources: HealthSources): () => Promise<HealthReport> {
  return async () => {
    const { adapters, startedAt } = sources;
    const [dynamoUp, redisUp] = await Promise.all([dynamoIsUp(adapters), redisIsUp(adapters)]);
    // The user still gets answers with Redis down (degraded), so only DynamoDB/Lex make it "down".
    const status = !dynamoUp ? 'down' : redisUp ? 'ok' : 'degraded';
    return {
      status,
      environment: 'local',
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      metrics: adapters.metrics.totals,
      dependencies: dependencies(sources, dynamoUp, redisUp),
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

function dependencies(sources: HealthSources, dynamoUp: boolean, redisUp: boolean): Record<string, unknown> {
  const { adapters, lex, bot, env } = sources;
  const { dynamo, sessionsInfo, events, language } = adapters;
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
    events: { state: 'up', kind: 'ndjson', dir: join(sources.dataDir, 'events'), written: events.count },
    sentiment: { state: 'up', kind: language.aws ? 'comprehend' : 'nlp.js' },
    translation: {
      state: language.translator ? 'up' : 'off',
      kind: language.translator ? 'translate' : 'none',
    },
    speech: { state: language.speech ? 'up' : 'off', kind: language.speech ? 'polly' : 'none' },
  };
}

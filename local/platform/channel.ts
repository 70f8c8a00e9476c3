/**
 * The REAL channel Lambda handler (src/handlers/channel.ts), its Lex client pointed at the
 * local platform's own Lex runtime and its conversation gate at the platform's Redis (keys under
 * the platform's prefix), or, with the in-memory session store, at an in-memory gate.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import type { LocaleId } from '../../contracts/bot-model/types';
import { METRIC_NAMESPACE } from '../../contracts/metrics';
import type { ConversationGateOptions } from '../../src/adapters/redis-conversation-gate';
import type { FeedbackPorts } from '../../src/channel/create-handler';
import type { ConversationGate } from '../../src/ports';
import { loopbackClientConfig } from '../adapters/loopback-sdk';
import { InMemoryConversationGate } from '../adapters/memory-conversation-gate';
import { hasAwsCredentials } from './adapters';
import type { ChannelHandler } from './router';
import { LOCAL_BOT_ALIAS_ID, LOCAL_BOT_ID } from './types';

/** The gate's Redis command budget locally, ms (AWS: 500). */
const LOCAL_GATE_TIMEOUT_MS = 2000;

/** The channel module reads its Lex endpoint at import; remember which platform it was bound to. */
let channelModuleBoundTo: string | undefined;

/** Where the gate keeps its state: the platform's Redis (URL), or memory without one. */
export interface LocalGateSettings extends ConversationGateOptions {
  readonly redisUrl?: string;
  readonly keyPrefix: string;
}

export interface LocalChannel {
  readonly handler: ChannelHandler;
  /** What the gate runs on, for the start-up line. */
  readonly gate: 'redis' | 'memory';
  /** Closes the gate's connection. */
  close(): Promise<void>;
}

/**
 * Imports the channel Lambda module with its environment pointing at this server (bot ids,
 * locales, LEX_ENDPOINT_URL, the gate's Redis, a region and, without real credentials, dummy
 * ones: the local Lex runtime does not check signatures). The module builds its Lex client at
 * import, so a second platform in the same process (tests), or one without Redis, gets the same
 * handler factory with its own client and gate. Either way the Lex client is the platform's
 * loopback one (unsigned, one keep-alive agent), given to the handler as its `lex` dependency.
 */
export async function loadChannelHandler(
  url: string,
  locales: readonly LocaleId[],
  gate: LocalGateSettings,
  feedback?: FeedbackPorts,
): Promise<LocalChannel> {
  const { ChannelEnv } = await import('../../contracts/runtime-env');
  process.env.AWS_REGION ??= 'us-east-1';
  if (!hasAwsCredentials()) {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
  }
  if (channelModuleBoundTo === undefined && gate.redisUrl) {
    process.env.LEX_ENDPOINT_URL = url;
    process.env[ChannelEnv.BOT_ID] = LOCAL_BOT_ID;
    process.env[ChannelEnv.BOT_ALIAS_ID] = LOCAL_BOT_ALIAS_ID;
    process.env[ChannelEnv.BOT_LOCALES] = locales.join(',');
    process.env[ChannelEnv.ENVIRONMENT] = 'local';
    process.env[ChannelEnv.REDIS_URL] = gate.redisUrl;
    process.env[ChannelEnv.REDIS_TLS] = 'false';
    process.env[ChannelEnv.GATE_KEY_PREFIX] = gate.keyPrefix;
    process.env[ChannelEnv.RATE_PER_IDENTITY] = String(gate.ratePerSecond);
    process.env[ChannelEnv.BURST_PER_IDENTITY] = String(gate.burst);
    process.env[ChannelEnv.OWNER_TTL_SECONDS] = String(gate.ownerTtlSeconds);
    // a laptop under load is not ElastiCache: a slow answer is not an outage (fail-closed 503)
    process.env[ChannelEnv.GATE_TIMEOUT_MS] = String(LOCAL_GATE_TIMEOUT_MS);
    channelModuleBoundTo = url;
    const [mod, lex] = await Promise.all([import('../../src/handlers/channel'), loopbackLex(url)]);
    const channel = mod.createChannelFromEnv({ lex, ...(feedback ? { feedback } : {}) });
    return { handler: (event) => channel(event), gate: 'redis', close: () => mod.shutdown() };
  }
  const [{ createChannelHandler }, lex, { Metrics }] = await Promise.all([
    import('../../src/channel/create-handler'),
    loopbackLex(url),
    import('@aws-lambda-powertools/metrics'),
  ]);
  const conversationGate = await gateOf(gate);
  const handler = createChannelHandler({
    lex,
    botId: LOCAL_BOT_ID,
    botAliasId: LOCAL_BOT_ALIAS_ID,
    locales: [...locales],
    logger: new Logger({ serviceName: 'channel' }),
    metrics: new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'channel' }),
    gate: conversationGate,
    ...(feedback ? { feedback } : {}),
  });
  return {
    handler: (event) => handler(event),
    gate: gate.redisUrl ? 'redis' : 'memory',
    close: async () => {
      await conversationGate.close?.();
    },
  };
}

/**
 * The channel's Lex client: the SDK's LexRuntimeV2Client (the handler's own calls, serialisation
 * and error parsing), configured for the local Lex runtime on loopback (local/adapters/loopback-sdk.ts).
 */
export async function loopbackLex(url: string): Promise<LexRuntimeV2Client> {
  const { LexRuntimeV2Client } = await import('@aws-sdk/client-lex-runtime-v2');
  return new LexRuntimeV2Client(loopbackClientConfig(url, process.env.AWS_REGION));
}

async function gateOf(settings: LocalGateSettings): Promise<ConversationGate> {
  if (!settings.redisUrl) return new InMemoryConversationGate(settings);
  const [{ RedisConversationGate }, { createRedisClient }] = await Promise.all([
    import('../../src/adapters/redis-conversation-gate'),
    import('../../src/adapters/redis-session-store'),
  ]);
  const redis = createRedisClient({
    url: settings.redisUrl,
    connectTimeoutMs: 1000,
    commandTimeoutMs: LOCAL_GATE_TIMEOUT_MS,
  });
  redis.on('error', () => undefined); // a refused turn says it (503, ChannelGateUnavailable)
  return new RedisConversationGate(redis, settings);
}

/** The substitution line of the gate. */
export function gateLine(channel: LocalChannel, settings: LocalGateSettings): string {
  const where =
    channel.gate === 'redis'
      ? `Redis keys ${settings.keyPrefix}gate:{sha256}:owner|bucket`
      : 'IN-MEMORY (no Redis: lost on restart)';
  return `Conversation gate    -> ${where}: owner bound by the first turn (404 to others, ${settings.ownerTtlSeconds} s idle), Cognito identities ${settings.ratePerSecond}/s burst ${settings.burst} (429 RATE_LIMITED); IAM callers (unsigned local requests) have no bucket`;
}

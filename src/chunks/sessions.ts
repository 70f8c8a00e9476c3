/** Chunk: Redis session store and the Secrets Manager client that fetches its AUTH token. */
export { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export { cachedSecret } from '../adapters/secrets';
export { createRedisClient, RedisSessionStore } from '../adapters/redis-session-store';
/** The channel's conversation gate (the channel function loads this chunk on its first turn). */
export { RedisConversationGate } from '../adapters/redis-conversation-gate';

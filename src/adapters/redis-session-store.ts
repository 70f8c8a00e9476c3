/**
 * Session state in Redis (ElastiCache in AWS, redis-server locally). One key per conversation,
 * `<prefix>conv:{<id>}:session`, holding JSON, written with an idle TTL. The `{...}` hash tag
 * keeps a conversation's keys on one slot should the cache ever run in cluster mode.
 */
import Redis from 'ioredis';
import * as v from 'valibot';
import { LOCALES } from '../../contracts/bot-model/types';
import type { SessionState, SessionStore } from '../ports';
import { keySafeConversationId } from '../util/conversation-id';
import { withTimeout } from '../util/timeout';

export interface RedisClientOptions {
  /** redis:// or rediss:// URL (local platform, tests). Wins over host/port. */
  url?: string;
  host?: string;
  port?: number;
  tls?: boolean;
  password?: string;
  /** @default 1000 */
  connectTimeoutMs?: number;
  /** @default 300 */
  commandTimeoutMs?: number;
}

/**
 * An ioredis client for the hot path: short connect and command timeouts, one retry per
 * command at most, NO offline queue (a command while disconnected fails at once instead of
 * piling up), lazy connection (the first command connects), capped reconnect backoff.
 */
export function createRedisClient(opts: RedisClientOptions): Redis {
  const common = {
    connectTimeout: opts.connectTimeoutMs ?? 1000,
    commandTimeout: opts.commandTimeoutMs ?? 300,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
    // after disconnect(), wait at most this long for the socket to close (ioredis: 2 s)
    disconnectTimeout: opts.commandTimeoutMs ?? 300,
    ...(opts.password ? { password: opts.password } : {}),
  };
  if (opts.url) {
    return new Redis(opts.url, { ...common, ...(opts.tls ? { tls: {} } : {}) });
  }
  return new Redis({
    ...common,
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 6379,
    ...(opts.tls ? { tls: {} } : {}),
  });
}

const StoredSession = v.object({
  turn: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  language: v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/)),
  locale: v.picklist(LOCALES),
  lastIntent: v.optional(v.pipe(v.string(), v.maxLength(100))),
  sentimentTrend: v.pipe(v.array(v.picklist(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'])), v.maxLength(20)),
  escalated: v.boolean(),
});

export class SessionStoreError extends Error {
  override readonly name = 'SessionStoreError';
}

export class RedisSessionStore implements SessionStore {
  private readonly ttlSeconds: number;
  private readonly keyPrefix: string;
  private connecting?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    opts: { ttlSeconds: number; keyPrefix?: string },
  ) {
    if (!Number.isInteger(opts.ttlSeconds) || opts.ttlSeconds <= 0) {
      throw new Error('ttlSeconds must be a positive integer');
    }
    this.ttlSeconds = opts.ttlSeconds;
    this.keyPrefix = opts.keyPrefix ?? '';
  }

  /** The key of a conversation's session (exported for tests and operators). */
  keyOf(conversationId: string): string {
    return `${this.keyPrefix}conv:{${keySafeConversationId(conversationId)}}:session`;
  }

  async get(conversationId: string): Promise<SessionState | undefined> {
    await this.ready();
    const raw = await this.redis.get(this.keyOf(conversationId));
    if (raw === null) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return undefined; // a corrupt value is treated as no session, and overwritten by put
    }
    const result = v.safeParse(StoredSession, parsed);
    return result.success ? result.output : undefined;
  }

  async put(conversationId: string, state: SessionState): Promise<void> {
    const value = v.parse(StoredSession, state); // only known, validated fields are stored
    await this.ready();
    await this.redis.set(this.keyOf(conversationId), JSON.stringify(value), 'EX', this.ttlSeconds);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end' || this.redis.status === 'wait') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * With the offline queue off, a command sent before the connection is ready fails. The
   * first command of a container therefore waits for the (lazy) connection, bounded by the
   * client's connectTimeout; later, a dropped connection fails fast while ioredis reconnects.
   */
  private async ready(): Promise<void> {
    const status = this.redis.status;
    if (status === 'ready') return;
    if (status === 'wait') {
      this.connecting ??= this.redis.connect().finally(() => {
        this.connecting = undefined;
      });
      this.connecting.catch(() => undefined); // observed below; never an unhandled rejection
    }
    if (this.connecting) {
      // TCP connect is bounded by connectTimeout; the ready check after it is bounded here.
      const budget = this.redis.options.connectTimeout ?? 1000;
      await withTimeout('redis connect', budget, () => this.connecting!);
      return;
    }
    throw new SessionStoreError(`redis is ${status}`);
  }
}

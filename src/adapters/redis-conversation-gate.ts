/**
 * The conversation gate (src/ports.ts, ConversationGate) in Redis: ONE script per turn (ioredis
 * `defineCommand`: EVALSHA, EVAL once per server when the script is not cached yet) that takes a
 * token from the caller's bucket and binds the conversation to its caller or checks that it is
 * theirs. Keys hold hashes only, never an identity or a conversation id:
 *   `<prefix>gate:{<sha256(principal)>}:bucket`   hash {tokens, at}; expires once it would be full
 *   `<prefix>gate:{<sha256(conversation id)>}:owner`   sha256(principal); the owner TTL, refreshed per turn
 * The clock is Redis's (TIME), so every Lambda container refills the same bucket at the same rate.
 * A single-shard (cluster mode disabled) replication group, as the data stack deploys: the two keys
 * of one call live on different hash slots, which cluster mode would refuse (CROSSSLOT).
 */
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { ConversationGate, GateCaller, GateDecision } from '../ports';
import { withTimeout } from '../util/timeout';

export interface ConversationGateOptions {
  /** Tokens added per second to each caller's bucket (> 0). */
  readonly ratePerSecond: number;
  /** Bucket size: turns a caller may send at once (1+). */
  readonly burst: number;
  /** How long a conversation stays bound to its owner after its last turn, seconds (1+). */
  readonly ownerTtlSeconds: number;
  /** Prefix of every key (tests use a unique one). @default '' */
  readonly keyPrefix?: string;
}

/** Take a token (when the bucket applies), then bind or check the owner. Returns {outcome, n}. */
const GATE_SCRIPT = [
  "local t = redis.call('TIME')",
  'local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)',
  "if ARGV[3] == '1' then",
  '  local rate = tonumber(ARGV[1])',
  '  local burst = tonumber(ARGV[2])',
  "  local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')",
  '  local tokens = tonumber(b[1])',
  '  local at = tonumber(b[2])',
  '  if tokens == nil or at == nil then',
  '    tokens = burst',
  '    at = now',
  '  end',
  '  if now > at then',
  '    tokens = math.min(burst, tokens + (now - at) * rate / 1000)',
  '    at = now',
  '  end',
  '  if tokens < 1 then',
  '    return {2, math.ceil((1 - tokens) * 1000 / rate)}',
  '  end',
  "  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(at))",
  "  redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)",
  'end',
  "local owner = redis.call('GET', KEYS[2])",
  'if not owner then',
  "  redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[5])",
  '  return {0, 1}',
  'end',
  'if owner == ARGV[4] then',
  "  redis.call('EXPIRE', KEYS[2], ARGV[5])",
  '  return {0, 0}',
  'end',
  'return {1, 0}',
].join('\n'); // an array, not a template literal: the minified bundle keeps long lines
type GateRedis = Redis & {
  conversationGate(
    bucketKey: string,
    ownerKey: string,
    rate: string,
    burst: string,
    limited: '0' | '1',
    owner: string,
    ttl: string,
  ): Promise<[number, number]>;
};

export class GateUnavailableError extends Error {
  override readonly name = 'GateUnavailableError';
}

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export class RedisConversationGate implements ConversationGate {
  private readonly redis: GateRedis;
  private readonly keyPrefix: string;
  private connecting?: Promise<void>;

  constructor(
    redis: Redis,
    private readonly opts: ConversationGateOptions,
  ) {
    const { ratePerSecond, burst, ownerTtlSeconds } = opts;
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
      throw new Error(`gate ratePerSecond must be positive, got ${ratePerSecond}`);
    if (!Number.isInteger(burst) || burst < 1)
      throw new Error(`gate burst must be a positive integer, got ${burst}`);
    if (!Number.isInteger(ownerTtlSeconds) || ownerTtlSeconds < 1)
      throw new Error(`gate ownerTtlSeconds must be a positive integer, got ${ownerTtlSeconds}`);
    this.keyPrefix = opts.keyPrefix ?? '';
    if (!('conversationGate' in redis))
      redis.defineCommand('conversationGate', { numberOfKeys: 2, lua: GATE_SCRIPT });
    this.redis = redis as GateRedis;
  }

  /** The keys of a call (exported for tests and operators: hashes, never the raw values). */
  keysOf(conversationId: string, principal: string): { bucket: string; owner: string } {
    return {
      bucket: `${this.keyPrefix}gate:{${sha256(principal).slice(0, 32)}}:bucket`,
      owner: `${this.keyPrefix}gate:{${sha256(`conversation:${conversationId}`).slice(0, 32)}}:owner`,
    };
  }

  async admit(conversationId: string, caller: GateCaller): Promise<GateDecision> {
    await this.ready();
    const keys = this.keysOf(conversationId, caller.principal);
    const [outcome, n] = await this.redis.conversationGate(
      keys.bucket,
      keys.owner,
      String(this.opts.ratePerSecond),
      String(this.opts.burst),
      caller.rateLimited ? '1' : '0',
      sha256(caller.principal),
      String(this.opts.ownerTtlSeconds),
    );
    if (outcome === 0) return { outcome: 'admitted', bound: n === 1 };
    if (outcome === 1) return { outcome: 'not-owner' };
    if (outcome === 2)
      return { outcome: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil(n / 1000)) };
    throw new GateUnavailableError(`unexpected gate reply ${String(outcome)}`);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end' || this.redis.status === 'wait') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** The lazy first connection, bounded by connectTimeout; later a dropped one fails fast. */
  private async ready(): Promise<void> {
    const status = this.redis.status;
    if (status === 'ready') return;
    if (status === 'wait') {
      this.connecting ??= this.redis.connect().finally(() => {
        this.connecting = undefined;
      });
      this.connecting.catch(() => undefined);
    }
    if (this.connecting) {
      const budget = this.redis.options.connectTimeout ?? 1000;
      await withTimeout('redis connect', budget, () => this.connecting!);
      return;
    }
    throw new GateUnavailableError(`redis is ${status}`);
  }
}

/**
 * ConversationGate port in process memory, with the Redis gate's semantics (a token bucket per
 * principal, the first turn binds the conversation, the owner binding expires after its TTL). The
 * local platform uses it only with the in-memory session store (no Redis reachable, no
 * redis-server binary), and says so at start-up.
 */
import type { ConversationGateOptions } from '../../src/adapters/redis-conversation-gate';
import type { ConversationGate, GateCaller, GateDecision } from '../../src/ports';

export class InMemoryConversationGate implements ConversationGate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly owners = new Map<string, { owner: string; expiresAt: number }>();

  constructor(
    private readonly opts: ConversationGateOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async admit(conversationId: string, caller: GateCaller): Promise<GateDecision> {
    const now = this.now();
    if (caller.rateLimited) {
      const { ratePerSecond: rate, burst } = this.opts;
      const b = this.buckets.get(caller.principal) ?? { tokens: burst, at: now };
      const tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) * rate) / 1000);
      if (tokens < 1) {
        return { outcome: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rate)) };
      }
      this.buckets.set(caller.principal, { tokens: tokens - 1, at: Math.max(now, b.at) });
    }
    const ttlMs = this.opts.ownerTtlSeconds * 1000;
    const bound = this.owners.get(conversationId);
    if (!bound || bound.expiresAt <= now) {
      this.owners.set(conversationId, { owner: caller.principal, expiresAt: now + ttlMs });
      return { outcome: 'admitted', bound: true };
    }
    if (bound.owner !== caller.principal) return { outcome: 'not-owner' };
    bound.expiresAt = now + ttlMs;
    return { outcome: 'admitted', bound: false };
  }

  async close(): Promise<void> {
    this.buckets.clear();
    this.owners.clear();
  }
}

/**
 * SessionStore port in process memory, with the same idle TTL semantics as the Redis store.
 * The local platform uses it only when no Redis is reachable and no redis-server binary exists
 * (and says so at start-up): sessions do not survive a restart.
 */
import type { SessionState, SessionStore } from '../../src/ports';

export class InMemorySessionStore implements SessionStore {
  private readonly items = new Map<string, { state: SessionState; expiresAt: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(conversationId: string): Promise<SessionState | undefined> {
    const item = this.items.get(conversationId);
    if (!item) return undefined;
    if (item.expiresAt <= this.now()) {
      this.items.delete(conversationId);
      return undefined;
    }
    return structuredClone(item.state);
  }

  async put(conversationId: string, state: SessionState): Promise<void> {
    this.items.set(conversationId, {
      state: structuredClone(state),
      expiresAt: this.now() + this.ttlSeconds * 1000,
    });
  }

  async close(): Promise<void> {
    this.items.clear();
  }

  get size(): number {
    return this.items.size;
  }
}

/**
 * A SessionStore built on first use (the Redis AUTH token must be fetched from Secrets Manager
 * first). A failed build is not cached: the next turn tries again, meanwhile the handler
 * degrades (SessionStoreUnavailable).
 */
import type { SessionState, SessionStore } from '../ports';

export class DeferredSessionStore implements SessionStore {
  private store?: Promise<SessionStore>;

  constructor(private readonly build: () => Promise<SessionStore>) {}

  private resolve(): Promise<SessionStore> {
    this.store ??= this.build().catch((err: unknown) => {
      this.store = undefined;
      throw err;
    });
    return this.store;
  }

  async get(conversationId: string): Promise<SessionState | undefined> {
    return (await this.resolve()).get(conversationId);
  }

  async put(conversationId: string, state: SessionState): Promise<void> {
    return (await this.resolve()).put(conversationId, state);
  }

  async close(): Promise<void> {
    if (!this.store) return;
    const store = await this.store.catch(() => undefined);
    await store?.close?.();
  }
}

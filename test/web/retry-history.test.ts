import { ConversationHistory, MAX_ENTRIES, newConversationId, type Entry } from '../../web/history';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../web/retry';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  test.each([
    ['2', 2000],
    [' 5 ', 5000],
    ['0', 0],
    [new Date(now + 3000).toUTCString(), 3000],
    [new Date(now - 3000).toUTCString(), 0],
    ['3600', MAX_RETRY_AFTER_MS],
    ['soon', 0],
    ['-1', 0],
    [null, 0],
  ])('GIVEN Retry-After %p WHEN read THEN the wait is %p ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});

describe('ConversationHistory', () => {
  const storage = (): Storage => {
    const data = new Map<string, string>();
    return {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    } as unknown as Storage;
  };

  test('GIVEN a saved conversation WHEN read back by another instance (a reload) THEN the current conversation and its entries return; forget removes them', () => {
    const s = storage();
    const entries: Entry[] = [
      { kind: 'user', id: '1', text: 'hi' },
      { kind: 'bot', id: '2', text: 'Hello!', feedback: 'up' },
    ];
    const a = new ConversationHistory(s, 'pool');
    a.setCurrent({ conversationId: 'web-1', locale: 'es_US', owner: 'guest' });
    a.save('web-1', entries);
    const b = new ConversationHistory(s, 'pool');
    expect(b.current()).toEqual({ conversationId: 'web-1', locale: 'es_US', owner: 'guest' });
    expect(b.entries('web-1')).toEqual(entries);
    expect(new ConversationHistory(s, 'other-pool').current()).toBeUndefined();
    b.forget('web-1');
    expect(b.entries('web-1')).toEqual([]);
  });

  test('GIVEN more than MAX_ENTRIES entries WHEN saved THEN the oldest are dropped', () => {
    const h = new ConversationHistory(storage(), 'pool');
    h.save(
      'c',
      Array.from({ length: MAX_ENTRIES + 5 }, (_, i) => ({
        kind: 'note' as const,
        id: String(i),
        text: 'x',
      })),
    );
    const kept = h.entries('c');
    expect(kept).toHaveLength(MAX_ENTRIES);
    expect(kept[0]!.id).toBe('5');
  });

  test('GIVEN storage that throws or holds garbage WHEN used THEN the history is empty and nothing throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const h = new ConversationHistory(throwing, 'pool');
    expect(() => h.save('c', [{ kind: 'note', id: '1', text: 'x' }])).not.toThrow();
    expect(h.entries('c')).toEqual([]);
    expect(() => h.forget('c')).not.toThrow();
    const s = storage();
    s.setItem(
      'conversational-chat:v1:pool:history:c',
      '[{"kind":"script","id":1},{"kind":"note","id":"2","text":"ok"}]',
    );
    expect(new ConversationHistory(s, 'pool').entries('c')).toEqual([{ kind: 'note', id: '2', text: 'ok' }]);
  });

  test('GIVEN a new conversation id WHEN made THEN the channel accepts it', () => {
    expect(newConversationId()).toMatch(/^[0-9a-zA-Z._:-]{2,100}$/);
    expect(newConversationId()).not.toBe(newConversationId());
  });
});

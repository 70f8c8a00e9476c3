/**
 * The generated conversations (from contracts/bot-model) and the processor's checks of each answer.
 */
import { BOT_MODEL } from '../../contracts/bot-model';
import {
  generateConversation,
  meanTurnsPerConversation,
  OVERSIZED_TEXT_LENGTH,
  TEMPLATES,
  type Conversation,
} from '../../load-tests/conversations';
import { checkAnswer, checkTurn, prepareRequest, startConversation } from '../../load-tests/processor';

/** A seeded generator (mulberry32) so the sample is the same every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('generated conversations', () => {
  const random = seeded(7);
  const sample: Conversation[] = Array.from({ length: 400 }, () => generateConversation(random));

  test('GIVEN 400 conversations WHEN generated THEN they cover every intent of the bot model, in both locales, and every template', () => {
    for (const locale of ['en_US', 'es_US'] as const) {
      const expected = new Set(
        sample
          .filter((c) => c.locale === locale)
          .flatMap((c) =>
            c.turns.map((t) =>
              t.expect.status === 200 ? (t.expect.fallback ? 'FallbackIntent' : t.expect.intent) : undefined,
            ),
          ),
      );
      for (const intent of BOT_MODEL.intents) expect(expected).toContain(intent.name);
    }
    expect(new Set(sample.map((c) => c.template))).toEqual(new Set(TEMPLATES.map((t) => t.name)));
  });

  test('GIVEN conversations with slots WHEN generated THEN slots are filled across turns with values of the slot type', () => {
    const slotTurns = sample.flatMap((c) => c.turns.filter((t) => t.kind === 'slot').map((t) => ({ c, t })));
    expect(slotTurns.length).toBeGreaterThan(50);
    for (const { c, t } of slotTurns) {
      const text = (t.body as { text: string }).text;
      if (t.expect.status === 200 && t.expect.slot === 'OrderNumber') expect(text).toMatch(/^\d{7}$/);
      else {
        const type = BOT_MODEL.slotTypes.find(
          (s) => s.name === (t.expect.status === 200 ? t.expect.slot : ''),
        );
        const values =
          type?.kind === 'enumeration' ? type.values[c.locale].flatMap((v) => [v.value, ...v.synonyms]) : [];
        expect(values).toContain(text);
      }
    }
  });

  test('GIVEN the hostile-input template WHEN generated THEN its hostile input expects a 400: oversized, blank, unknown locale, malformed JSON', () => {
    const hostile = generateConversation(seeded(1), { template: 'hostile-input' });
    const rejected = hostile.turns.filter((t) => t.expect.status === 400);
    expect(rejected).toHaveLength(4);
    expect((rejected[0]!.body as { text: string }).text).toHaveLength(OVERSIZED_TEXT_LENGTH);
    expect(rejected.some((t) => typeof t.body === 'string')).toBe(true);
    // no Artillery template syntax: the body must reach the API byte for byte (it is signed)
    expect(JSON.stringify(hostile.turns)).not.toMatch(/\{\{/);
  });

  test('GIVEN the templates WHEN mean turns per conversation is computed THEN it is their weighted mean', () => {
    // 25x4 + 15x4 + 20x4 + 15x4 + 5x2 + 10x3 + 10x7 = 410 over 100 weight
    expect(meanTurnsPerConversation()).toBeCloseTo(4.1, 9);
  });
});

describe('the processor', () => {
  const events = {
    emitted: [] as [string, number][],
    emit(_t: string, name: string, v: number) {
      this.emitted.push([name, v]);
    },
  };

  test('GIVEN two virtual users WHEN they start and send a request THEN each gets its own conversation id; requests carry the turn as JSON', async () => {
    const a = { vars: {} as Record<string, unknown> };
    const b = { vars: {} as Record<string, unknown> };
    startConversation(a, events, () => undefined);
    startConversation(b, events, () => undefined);
    expect(a.vars.conversationId).toMatch(/^lt-[0-9a-z]+-[0-9a-f-]{36}$/);
    expect(a.vars.conversationId).not.toBe(b.vars.conversationId);
    const req = {
      url: 'http://127.0.0.1:3000/v1/conversations/{{ conversationId }}/messages',
      json: { x: 1 } as unknown,
      name: 'messages',
    };
    await new Promise<void>((resolve, reject) =>
      prepareRequest(req, a, events, (err) => (err ? reject(err) : resolve())),
    );
    expect(req.url).toBe(
      `http://127.0.0.1:3000/v1/conversations/${a.vars.conversationId as string}/messages`,
    );
    expect(req.name).toMatch(/^messages-(utterance|slot|fallback|hostile)$/);
    expect(req.json).toBeUndefined();
    const turn = (a.vars.conversation as Conversation).turns[0]!;
    expect((req as { body?: string }).body).toBe(
      typeof turn.body === 'string' ? turn.body : JSON.stringify(turn.body),
    );
  });

  test('GIVEN answers to a turn WHEN checked THEN they are checked against the contract; an expected 400 is not a failure', () => {
    const [greet] = generateConversation(seeded(3), { template: 'talk-to-agent' }).turns;
    const ok = {
      conversationId: 'c1',
      messages: [{ contentType: 'PlainText', content: 'hi' }],
      intent: { name: 'Greeting' },
    };
    expect(checkAnswer(greet!, 'c1', { statusCode: 200, body: JSON.stringify(ok) }).problem).toBeUndefined();
    expect(checkAnswer(greet!, 'c1', { statusCode: 500, body: '{}' }).problem).toBe('status 500');
    expect(checkAnswer(greet!, 'c2', { statusCode: 200, body: JSON.stringify(ok) }).problem).toMatch(
      /another conversation/,
    );
    expect(
      checkAnswer(greet!, 'c1', { statusCode: 200, body: JSON.stringify({ ...ok, messages: [] }) }).problem,
    ).toMatch(/without messages/);
    const oversized = generateConversation(seeded(3), { template: 'hostile-input' }).turns[1]!;
    expect(checkAnswer(oversized, 'c1', { statusCode: 400, body: '{}' }).problem).toBeUndefined();
    expect(checkAnswer(oversized, 'c1', { statusCode: 413, body: '{}' }).problem).toBeUndefined();
    expect(checkAnswer(oversized, 'c1', { statusCode: 500, body: '{}' }).problem).toMatch(
      /status 500 for hostile input/,
    );
  });

  test('GIVEN a fallback answer, then an unexpected one WHEN checked THEN the fallback is counted; the unexpected one fails the virtual user and counts', () => {
    const ctx = { vars: {} as Record<string, unknown> };
    startConversation(ctx, events, () => undefined);
    ctx.vars.conversation = generateConversation(seeded(5), { template: 'fallback-then-recover' });
    const id = ctx.vars.conversationId as string;
    const req = { url: `http://h/v1/conversations/${id}/messages` };
    events.emitted = [];
    let error: Error | undefined;
    const fallback = {
      conversationId: id,
      messages: [{ contentType: 'PlainText', content: '?' }],
      intent: { name: 'FallbackIntent' },
      slots: {},
    };
    checkTurn(
      req,
      { statusCode: 200, body: JSON.stringify(fallback), headers: {} },
      ctx,
      events,
      (e) => (error = e),
    );
    expect(error).toBeUndefined();
    expect(events.emitted.map(([n]) => n)).toEqual(
      expect.arrayContaining([
        'conversation.answered',
        'conversation.fallback',
        'conversation.fallback_expected',
      ]),
    );
    checkTurn(req, { statusCode: 503, body: '{}', headers: {} }, ctx, events, (e) => (error = e));
    expect(error?.message).toBe('unexpected status 503 (messages-utterance)');
    expect(events.emitted.map(([n]) => n)).toContain('conversation.unexpected');
  });
});

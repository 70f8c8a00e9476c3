import { BOT_MODEL } from '../../../contracts/bot-model';
import { slotElicitationCard } from '../../../contracts/bot-model/quick-replies';
import { Metric } from '../../../contracts/metrics';
import { createFulfillmentHandler, type FulfillmentDeps } from '../../../src/fulfillment/create-handler';
import type { LexV2CodeHookResponse } from '../../../src/lex/types';
import { LexV2ResponseSchema } from '../../../src/lex/response';
import type { SpeechSynthesizer, Translator } from '../../../src/ports';
import * as v from 'valibot';
import {
  baseDeps,
  capturedMetrics,
  fixedSentiment,
  lexEvent,
  MemoryContextStore,
  MemoryEventSink,
  MemorySessionStore,
  scalar,
  silentLogger,
  TEST_CONFIG,
  TEST_MODEL,
} from '../fixtures';

function setup(overrides: Partial<FulfillmentDeps> = {}) {
  const { metrics, counts } = capturedMetrics();
  const deps = baseDeps({ metrics, ...overrides });
  return { deps, counts, handler: createFulfillmentHandler(deps) };
}

function valid(res: LexV2CodeHookResponse): LexV2CodeHookResponse {
  const parsed = v.safeParse(LexV2ResponseSchema, res);
  if (!parsed.success) throw new Error(`invalid Lex response:\n${v.summarize(parsed.issues)}`);
  return res;
}

const contents = (res: LexV2CodeHookResponse) => (res.messages ?? []).map((m) => m.content);

describe('fulfillment handler: answers', () => {
  test('GIVEN a fulfillment event for Greeting WHEN handled THEN Close/Fulfilled with the model response', async () => {
    const { handler, deps, counts } = setup({ sentiment: fixedSentiment('POSITIVE') });

    const res = valid(await handler(lexEvent({ intent: 'Greeting' })));

    expect(res.sessionState.dialogAction.type).toBe('Close');
    expect(res.sessionState.intent).toMatchObject({ name: 'Greeting', state: 'Fulfilled' });
    expect(contents(res)).toEqual(['Hello! How can I help?']);
    expect(res.sessionState.sessionAttributes).toMatchObject({
      turn: '1',
      language: 'en',
      sentiment: 'POSITIVE',
    });
    expect(deps.sessions.data.get('conv-test-0001')).toMatchObject({
      turn: 1,
      lastIntent: 'Greeting',
      locale: 'en_US',
    });
    expect([...deps.context.items.values()]).toEqual([
      expect.objectContaining({
        conversationId: 'conv-test-0001',
        turn: 1,
        intent: 'Greeting',
        sentiment: 'POSITIVE',
      }),
    ]);
    expect(deps.events.events).toEqual([
      expect.objectContaining({
        schemaVersion: 1,
        turn: 1,
        intent: 'Greeting',
        fallback: false,
        channel: 'web',
      }),
    ]);
    expect(deps.events.events[0]).not.toHaveProperty('text');
    expect(counts()).toMatchObject({
      [Metric.Turns]: 1,
      [Metric.RecognizedTurns]: 1,
      [Metric.NluConfidence]: 0.93,
    });
    expect(counts()[Metric.FallbackTurns]).toBeUndefined();
  });

  test('GIVEN a Spanish event WHEN fulfilled THEN the answer is the es_US response with the slot substituted', async () => {
    const { handler } = setup();

    const res = valid(
      await handler(
        lexEvent({
          intent: 'CheckOrderStatus',
          source: 'FulfillmentCodeHook',
          locale: 'es_US',
          slots: { OrderNumber: scalar('ABC-123456') },
        }),
      ),
    );

    expect(contents(res)).toEqual(['El pedido ABC-123456 está en camino.']);
    expect(res.sessionState.sessionAttributes?.language).toBe('es');
  });

  test.each([
    ['es_US', 'teléfonos'],
    ['en_US', 'phone'],
  ] as const)(
    'GIVEN a %s ProductInfo fulfillment with ProductType=phone WHEN answered THEN the slot is named by its %s label, never the canonical value in another language',
    async (locale, label) => {
      const { handler } = setup({ model: BOT_MODEL });
      const product = BOT_MODEL.slotTypes.find((t) => t.name === 'ProductType');
      const phone =
        product?.kind === 'enumeration' ? product.values[locale].find((v) => v.value === 'phone') : undefined;
      expect(phone?.label ?? phone?.value).toBe(label);

      const res = valid(
        await handler(
          lexEvent({
            intent: 'ProductInfo',
            source: 'FulfillmentCodeHook',
            locale,
            slots: {
              ProductType: {
                value: { originalValue: 'celular', interpretedValue: 'phone', resolvedValues: ['phone'] },
              },
            },
          }),
        ),
      );

      const answer = contents(res).join(' ');
      expect(answer).toContain(label);
      if (locale === 'es_US') expect(answer).not.toMatch(/\bphone\b/);
    },
  );

  test('GIVEN a dialog hook with an invalid order number WHEN handled THEN the slot is cleared and re-elicited with the localized invalid prompt', async () => {
    const { handler } = setup();

    const res = valid(
      await handler(
        lexEvent({
          source: 'DialogCodeHook',
          intent: 'CheckOrderStatus',
          locale: 'es_US',
          slots: { OrderNumber: scalar('12') },
        }),
      ),
    );

    expect(res.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'OrderNumber' });
    expect(res.sessionState.intent).toMatchObject({ name: 'CheckOrderStatus', state: 'InProgress' });
    expect(res.sessionState.intent?.slots?.OrderNumber).toBeNull();
    expect(contents(res)).toEqual([TEST_MODEL.intents[1].slots[0].invalidPrompt.es_US]);
  });

  test('GIVEN a dialog hook with the required slot missing (slots null) WHEN handled THEN the slot is elicited with its prompt', async () => {
    const { handler } = setup();

    const res = valid(
      await handler(
        lexEvent({ source: 'DialogCodeHook', intent: 'CheckOrderStatus', slots: { OrderNumber: null } }),
      ),
    );

    expect(res.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'OrderNumber' });
    expect(contents(res)).toEqual(['What is your order number?']);
  });

  test.each(['en_US', 'es_US'] as const)(
    'GIVEN a dialog hook eliciting an enumeration slot (%s) WHEN handled THEN the prompt is followed by the quick-reply card of the shared function (its messages replace the generated prompt and its card)',
    async (locale) => {
      const { handler } = setup();

      const res = valid(
        await handler(
          lexEvent({
            source: 'DialogCodeHook',
            intent: 'ReportIssue',
            locale,
            slots: { IssueCategory: null },
          }),
        ),
      );
      const card = slotElicitationCard(TEST_MODEL, { slotType: 'IssueCategory' }, locale)!;

      expect(res.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'IssueCategory' });
      expect(res.messages).toEqual([
        {
          contentType: 'PlainText',
          content: TEST_MODEL.intents.find((i) => i.name === 'ReportIssue')!.slots[0]!.prompt[locale],
        },
        { contentType: 'ImageResponseCard', imageResponseCard: { title: card.title, buttons: card.buttons } },
      ]);
    },
  );

  test('GIVEN a pattern slot elicited WHEN handled THEN no card', async () => {
    const { handler } = setup();

    const res = valid(
      await handler(
        lexEvent({ source: 'DialogCodeHook', intent: 'CheckOrderStatus', slots: { OrderNumber: null } }),
      ),
    );

    expect(res.messages?.map((m) => m.contentType)).toEqual(['PlainText']);
  });

  test('GIVEN a dialog hook with every slot valid WHEN handled THEN it fulfills in the same invocation', async () => {
    const { handler } = setup();

    const res = valid(
      await handler(
        lexEvent({
          source: 'DialogCodeHook',
          intent: 'CheckOrderStatus',
          slots: { OrderNumber: scalar('XYZ-000042') },
        }),
      ),
    );

    expect(res.sessionState.dialogAction.type).toBe('Close');
    expect(contents(res)).toEqual(['Order XYZ-000042 is on its way.']);
  });

  test('GIVEN a List-shaped slot WHEN fulfilled THEN its values are joined', async () => {
    const { handler } = setup();
    const slots = {
      IssueCategory: {
        shape: 'List',
        value: { originalValue: 'x' },
        values: [scalar('billing'), scalar('login')],
      },
    };

    const res = valid(await handler(lexEvent({ intent: 'ReportIssue', slots })));

    expect(contents(res)).toEqual([
      expect.stringMatching(/^I logged your billing, login issue as T-\w{10}\.$/),
    ]);
  });

  test('GIVEN FallbackIntent WHEN fulfilled THEN the fallback answer is given and counted as a fallback turn', async () => {
    const { handler, deps, counts } = setup();

    const res = valid(await handler(lexEvent({ intent: 'FallbackIntent', nluConfidence: 0.2 })));

    expect(contents(res)).toEqual(['Sorry, I did not get that.']);
    expect(counts()[Metric.FallbackTurns]).toBe(1);
    expect(deps.events.events[0]).toMatchObject({ fallback: true, intent: 'FallbackIntent' });
  });

  test('GIVEN an intent the model does not know WHEN handled THEN Close/Failed with the sorry message', async () => {
    const { handler } = setup();

    const res = valid(await handler(lexEvent({ intent: 'OrderPizza' })));

    expect(res.sessionState.intent).toMatchObject({ name: 'OrderPizza', state: 'Failed' });
    expect(contents(res)).toEqual([TEST_MODEL.messages.sorry.en_US]);
  });

  test('GIVEN DTMF input with no transcript and no interpretations WHEN handled THEN it still answers', async () => {
    const { handler } = setup({ sentiment: fixedSentiment('NEUTRAL') });
    const event = lexEvent({ inputMode: 'DTMF', intent: 'Greeting' });
    delete event.interpretations;
    delete event.inputTranscript;

    const res = valid(await handler(event));

    expect(contents(res)).toEqual(['Hello! How can I help?']);
  });
});

describe('fulfillment handler: sessions and turns', () => {
  test('GIVEN three turns WHEN handled THEN the turn counter, language and last intent are kept in the session', async () => {
    const { handler, deps } = setup();
    let attrs: Record<string, string> = {};

    for (const intent of ['Greeting', 'CheckOrderStatus', 'Greeting']) {
      const res = await handler(
        lexEvent({
          intent,
          slots: intent === 'CheckOrderStatus' ? { OrderNumber: scalar('ABC-123456') } : {},
          sessionAttributes: attrs,
        }),
      );
      attrs = res.sessionState.sessionAttributes ?? {};
    }

    expect(deps.sessions.data.get('conv-test-0001')).toMatchObject({
      turn: 3,
      lastIntent: 'Greeting',
      language: 'en',
    });
    expect([...deps.context.items.keys()]).toEqual([
      'conv-test-0001#1',
      'conv-test-0001#2',
      'conv-test-0001#3',
    ]);
  });

  test('GIVEN a retried invocation (same Lex session attributes) WHEN handled again THEN the turn is not recorded twice', async () => {
    const { handler, deps } = setup();
    const event = lexEvent({ sessionAttributes: { turn: '4' } });

    await handler(event);
    await handler(event);

    expect([...deps.context.items.keys()]).toEqual(['conv-test-0001#5']);
  });

  test('GIVEN a hostile conversation id WHEN handled THEN it is rejected as invalid, not used', async () => {
    const { handler, deps, counts } = setup();

    const res = valid(await handler(lexEvent({ sessionId: 'x}{:session\r\nFLUSHALL' })));

    expect(res.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(deps.sessions.data.size).toBe(0);
    expect(counts()[Metric.InvalidEvents]).toBe(1);
  });
});

describe('fulfillment handler: escalation', () => {
  test('GIVEN TalkToAgent WHEN fulfilled THEN the session is marked escalated (attribute, event, metric)', async () => {
    const { handler, deps, counts } = setup();

    const res = valid(await handler(lexEvent({ intent: 'TalkToAgent' })));

    expect(res.sessionState.sessionAttributes?.escalated).toBe('true');
    expect(deps.sessions.data.get('conv-test-0001')?.escalated).toBe(true);
    expect(deps.events.events[0].escalated).toBe(true);
    expect(counts()[Metric.Escalations]).toBe(1);
  });

  test('GIVEN negative sentiment in 2 of the last 3 turns WHEN the second negative turn arrives THEN it escalates once', async () => {
    const labels = ['NEGATIVE', 'NEUTRAL', 'NEGATIVE', 'NEGATIVE'] as const;
    let i = 0;
    const sentiment = { detect: async () => ({ label: labels[i++], score: 0.9 }) };
    const { handler, deps, counts } = setup({ sentiment });
    let attrs: Record<string, string> = {};
    const escalatedAfter: string[] = [];

    for (let turn = 0; turn < labels.length; turn += 1) {
      const res = valid(await handler(lexEvent({ intent: 'Greeting', sessionAttributes: attrs })));
      attrs = res.sessionState.sessionAttributes ?? {};
      escalatedAfter.push(attrs.escalated);
      if (turn === 2) {
        const reference = attrs.ticketRef;
        expect(reference).toMatch(/^T-\w{10}$/);
        expect(contents(res)).toContain(`A person will take over (${reference}).`);
      }
    }

    expect(escalatedAfter).toEqual(['false', 'false', 'true', 'true']);
    expect(counts()[Metric.Escalations]).toBe(1);
    expect(counts()[Metric.NegativeSentiment]).toBe(3);
    expect(deps.sessions.data.get('conv-test-0001')?.sentimentTrend).toEqual([...labels]);
  });

  test("GIVEN Lex's own sentiment in the interpretation WHEN handled THEN Comprehend is not called", async () => {
    const sentiment = fixedSentiment('POSITIVE');
    const { handler } = setup({ sentiment });

    const res = await handler(lexEvent({ lexSentiment: 'NEGATIVE' }));

    expect(sentiment.calls).toHaveLength(0);
    expect(res.sessionState.sessionAttributes?.sentiment).toBe('NEGATIVE');
  });
});

describe('fulfillment handler: degraded paths still answer and count', () => {
  test('GIVEN Redis down WHEN a turn arrives THEN it answers from the Lex session attributes and counts SessionStoreUnavailable', async () => {
    const sessions = new MemorySessionStore();
    sessions.fail = true;
    const { handler, counts, deps } = setup({ sessions });

    const res = valid(
      await handler(
        lexEvent({ sessionAttributes: { turn: '7', language: 'en', sentimentTrend: 'NEGATIVE' } }),
      ),
    );

    expect(contents(res)).toEqual(['Hello! How can I help?']);
    expect(res.sessionState.sessionAttributes?.turn).toBe('8');
    expect(counts()[Metric.SessionStoreUnavailable]).toBe(1);
    expect(deps.events.events[0].degraded).toContain(Metric.SessionStoreUnavailable);
  });

  test('GIVEN a session store that hangs WHEN a turn arrives THEN the per-call budget cuts it and the turn answers', async () => {
    const hanging = {
      get: () => new Promise<never>(() => undefined),
      put: () => new Promise<never>(() => undefined),
    };
    const { handler, counts } = setup({ sessions: hanging as unknown as MemorySessionStore });
    const started = Date.now();

    const res = valid(await handler(lexEvent()));

    expect(Date.now() - started).toBeLessThan(TEST_CONFIG.dependencyTimeoutMs * 3);
    expect(contents(res)).toEqual(['Hello! How can I help?']);
    expect(counts()[Metric.SessionStoreUnavailable]).toBe(1);
  });

  test('GIVEN Comprehend throttled WHEN a turn arrives THEN it answers without sentiment and counts SentimentUnavailable', async () => {
    const sentiment = {
      detect: async () =>
        Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })),
    };
    const { handler, counts } = setup({ sentiment });

    const res = valid(await handler(lexEvent()));

    expect(res.sessionState.sessionAttributes?.sentiment).toBeUndefined();
    expect(counts()[Metric.SentimentUnavailable]).toBe(1);
  });

  test('GIVEN Comprehend past its timeout budget WHEN a turn arrives THEN it answers within the budget without sentiment and counts SentimentUnavailable', async () => {
    const { handler, counts } = setup({ sentiment: { detect: () => new Promise<never>(() => undefined) } });
    const started = Date.now();

    const res = valid(await handler(lexEvent()));

    expect(Date.now() - started).toBeLessThan(TEST_CONFIG.dependencyTimeoutMs * 3);
    expect(contents(res)).toEqual(['Hello! How can I help?']);
    expect(res.sessionState.sessionAttributes?.sentiment).toBeUndefined();
    expect(counts()[Metric.SentimentUnavailable]).toBe(1);
  });

  test('GIVEN DynamoDB throttled WHEN a turn arrives THEN it answers and counts ContextStoreUnavailable', async () => {
    const context = new MemoryContextStore();
    context.fail = true;
    const { handler, counts } = setup({ context });

    valid(await handler(lexEvent()));

    expect(counts()[Metric.ContextStoreUnavailable]).toBe(1);
  });

  test('GIVEN Kinesis failing after retries WHEN a turn arrives THEN it answers, counts EventsFailed and logs the event id at error', async () => {
    const events = new MemoryEventSink();
    events.fail = true;
    const logger = silentLogger();
    const errors = jest.spyOn(logger, 'error');
    const { handler, counts } = setup({ events, logger });

    valid(await handler(lexEvent()));

    expect(counts()[Metric.EventsFailed]).toBe(1);
    expect(errors).toHaveBeenCalledWith(
      'conversation events not delivered after retries',
      expect.objectContaining({ eventIds: ['conv-test-0001#1'] }),
    );
  });

  test('GIVEN a voice turn and Polly failing WHEN handled THEN it answers in text and counts SpeechUnavailable', async () => {
    const speech: SpeechSynthesizer = {
      synthesize: async () => Promise.reject(new Error('polly throttled')),
    };
    const { handler, counts } = setup({ speech });

    const res = valid(await handler(lexEvent({ inputMode: 'Speech' })));

    expect(contents(res)).toEqual(['Hello! How can I help?']);
    expect(res.sessionState.sessionAttributes?.audioUrl).toBeUndefined();
    expect(counts()[Metric.SpeechUnavailable]).toBe(1);
  });

  test('GIVEN a voice channel WHEN handled THEN the audio URL is returned in the session attributes', async () => {
    const calls: unknown[][] = [];
    const speech: SpeechSynthesizer = {
      synthesize: async (...args) => {
        calls.push(args);
        return { audioUrl: 'https://audio.example/a.mp3?sig' };
      },
    };
    const { handler } = setup({ speech });

    const res = await handler(
      lexEvent({ requestAttributes: { channel: 'web', audio: 'true' }, locale: 'es_US' }),
    );

    expect(res.sessionState.sessionAttributes?.audioUrl).toBe('https://audio.example/a.mp3?sig');
    expect(calls).toEqual([[TEST_MODEL.intents[0].responses.es_US[0], 'es_US', 'conv-test-0001/1']]);
  });

  test('GIVEN a text turn WHEN handled THEN no speech is synthesized', async () => {
    const speech = { synthesize: jest.fn() };
    const { handler } = setup({ speech });

    await handler(lexEvent());

    expect(speech.synthesize).not.toHaveBeenCalled();
  });
});

describe('fulfillment handler: other languages', () => {
  const frenchDetector = { detect: async () => ({ languageCode: 'fr', score: 0.98 }) };

  test('GIVEN French text WHEN handled THEN the input is translated into the locale and the answer back, order numbers untouched', async () => {
    const calls: { text: string; from: string; to: string }[] = [];
    const translator: Translator = {
      translate: async (text, from, to) => {
        calls.push({ text, from, to });
        return `[${to}] ${text}`;
      },
    };
    const { handler, deps } = setup({ languageDetector: frenchDetector, translator });

    const res = valid(
      await handler(
        lexEvent({
          intent: 'CheckOrderStatus',
          text: 'où est ma commande ABC-123456',
          nluConfidence: 0.4,
          slots: { OrderNumber: scalar('ABC-123456') },
        }),
      ),
    );

    expect(contents(res)).toEqual(['[fr] Order ABC-123456 is on its way.']);
    expect(calls.every((c) => !c.text.includes('ABC-123456'))).toBe(true);
    expect(calls.map((c) => `${c.from}>${c.to}`).sort()).toEqual(['en>fr', 'fr>en']);
    expect(res.sessionState.sessionAttributes).toMatchObject({
      language: 'fr',
      translatedInput: '[en] où est ma commande ABC-123456',
    });
    expect(deps.events.events[0].language).toBe('fr');
  });

  test.each([
    [
      'throttled',
      () => Promise.reject(Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' })),
    ],
    ['past its timeout budget', () => new Promise<string>(() => undefined)],
  ])(
    'GIVEN Translate %s WHEN a French turn arrives THEN it answers in the locale language within the budget and counts TranslationUnavailable',
    async (_, translate) => {
      const { handler, counts, deps } = setup({
        languageDetector: frenchDetector,
        translator: { translate },
      });
      const started = Date.now();

      const res = valid(
        await handler(lexEvent({ intent: 'Greeting', text: 'bonjour à vous', nluConfidence: 0.3 })),
      );

      expect(Date.now() - started).toBeLessThan(TEST_CONFIG.dependencyTimeoutMs * 4);
      expect(contents(res)).toEqual(['Hello! How can I help?']);
      expect(counts()[Metric.TranslationUnavailable]).toBe(1);
      expect(deps.events.events[0].degraded).toContain(Metric.TranslationUnavailable);
    },
  );

  test('GIVEN a translation that loses the protected term WHEN handled THEN the untranslated answer is kept and TranslationUnavailable counted', async () => {
    const translator: Translator = { translate: async () => 'texte sans le numéro' };
    const { handler, counts } = setup({ languageDetector: frenchDetector, translator });

    const res = valid(
      await handler(
        lexEvent({
          intent: 'CheckOrderStatus',
          text: 'commande ABC-123456',
          nluConfidence: 0.3,
          slots: { OrderNumber: scalar('ABC-123456') },
        }),
      ),
    );

    expect(contents(res)).toEqual(['Order ABC-123456 is on its way.']);
    expect(counts()[Metric.TranslationUnavailable]).toBe(1);
  });

  test('GIVEN a confident recognition in the bot language WHEN handled THEN no language detection is made (hot path)', async () => {
    const detector = { detect: jest.fn() };
    const { handler } = setup({ languageDetector: detector, translator: { translate: jest.fn() } });

    await handler(lexEvent({ nluConfidence: 0.95 }));

    expect(detector.detect).not.toHaveBeenCalled();
  });

  test('GIVEN language detection failing WHEN handled THEN it answers in the locale language and counts TranslationUnavailable', async () => {
    const detector = { detect: async () => Promise.reject(new Error('timeout')) };
    const translator = { translate: jest.fn() };
    const { handler, counts } = setup({ languageDetector: detector, translator });

    const res = valid(
      await handler(lexEvent({ intent: 'FallbackIntent', nluConfidence: 0.1, text: 'quelque chose' })),
    );

    expect(contents(res)).toEqual(['Sorry, I did not get that.']);
    expect(translator.translate).not.toHaveBeenCalled();
    expect(counts()[Metric.TranslationUnavailable]).toBe(1);
  });
});

describe('fulfillment handler: redaction and invalid events', () => {
  test('GIVEN transcripts allowed and PII in the text WHEN streamed THEN the event text is redacted', async () => {
    const { handler, deps } = setup({ config: { ...TEST_CONFIG, streamTranscripts: true } });

    await handler(lexEvent({ text: 'my email is ana@example.com and my password is hunter2' }));

    expect(deps.events.events[0].text).toBe('my email is [EMAIL] and my password is [PASSWORD]');
  });

  test.each([
    ['null', null],
    ['a string', 'hello'],
    ['an API Gateway event', { routeKey: 'GET /', rawPath: '/', requestContext: {} }],
    ['a Lex event without sessionState', { ...lexEvent(), sessionState: undefined }],
    ['an unknown locale', { ...lexEvent(), bot: { localeId: 'fr_FR' } }],
  ])(
    'GIVEN %s WHEN handled THEN a valid ElicitIntent answer, InvalidEvents counted, error logged with its class',
    async (_, event) => {
      const logger = silentLogger();
      const errors = jest.spyOn(logger, 'error');
      const { handler, counts, deps } = setup({ logger });

      const res = valid(await handler(event));

      expect(res.sessionState.dialogAction.type).toBe('ElicitIntent');
      expect(counts()[Metric.InvalidEvents]).toBe(1);
      expect(errors).toHaveBeenCalledWith(
        'rejected code-hook event',
        expect.objectContaining({ errorClass: expect.any(String) }),
      );
      expect(deps.events.events).toHaveLength(0);
    },
  );
});

describe('fulfillment handler: a defect in the turn', () => {
  /** A clock that breaks once the turn has started: an unexpected exception inside the turn. */
  function brokenClock(message: string): () => number {
    let calls = 0;
    return () => {
      calls += 1;
      if (calls > 1) throw new TypeError(message);
      return Date.parse('2026-01-01T00:00:00Z');
    };
  }

  test('GIVEN an exception inside the turn WHEN handled THEN sorry, TurnDefects counted once, one error line with its name and message and no user text', async () => {
    const logger = silentLogger();
    const errors = jest.spyOn(logger, 'error');
    const text = 'where is my order, my email is someone@example.com';
    const { handler, counts } = setup({
      logger,
      now: brokenClock('cannot read 4111 1111 1111 1111 of undefined'),
    });

    const res = valid(await handler(lexEvent({ text, sessionAttributes: { custom: 'kept' } })));

    expect(res.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(res.sessionState.sessionAttributes).toEqual({ custom: 'kept' });
    expect(contents(res)).toEqual(['Sorry, something went wrong.']);
    expect(counts()[Metric.TurnDefects]).toBe(1);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors).toHaveBeenCalledWith(
      'turn failed',
      expect.objectContaining({
        sessionId: 'conv-test-0001',
        locale: 'en_US',
        errorName: 'TypeError',
        errorMessage: 'cannot read [CARD] of undefined',
        errorLocation: expect.stringMatching(/^at /),
      }),
    );
    const logged = JSON.stringify(errors.mock.calls);
    expect(logged).not.toContain('where is my order');
    expect(logged).not.toContain('someone@example.com');
    expect(logged).not.toContain('4111');
  });

  test('GIVEN a turn without a defect WHEN handled THEN TurnDefects is not counted', async () => {
    const { handler, counts } = setup({ sentiment: fixedSentiment('NEUTRAL') });

    valid(await handler(lexEvent()));

    expect(counts()[Metric.TurnDefects]).toBeUndefined();
  });
});

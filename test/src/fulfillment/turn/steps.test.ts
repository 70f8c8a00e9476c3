/**
 * The steps of one fulfillment turn (src/fulfillment/turn/*), each on its own: what it takes,
 * what it returns for the next step, and that the concurrent steps start every call before
 * awaiting any. The whole turn is tested through the handler in fulfillment.test.ts.
 */
import { Metric } from '../../../../contracts/metrics';
import { composeFulfillment } from '../../../../src/fulfillment/compose';
import type { FulfillmentDeps } from '../../../../src/fulfillment/deps';
import { answerTurn } from '../../../../src/fulfillment/turn/answer';
import { readTurnInput, sessionFromAttributes, type TurnInput } from '../../../../src/fulfillment/turn/input';
import { DegradedLog, turnContext, type TurnContext } from '../../../../src/fulfillment/turn/outcome';
import { persistTurn, type Writes } from '../../../../src/fulfillment/turn/persist';
import { noteWrites } from '../../../../src/fulfillment/turn/record';
import { sessionAttributesOf } from '../../../../src/fulfillment/turn/respond';
import type { AnsweredTurn } from '../../../../src/fulfillment/turn/state';
import { translateTurn } from '../../../../src/fulfillment/turn/translate';
import {
  readSession,
  understand,
  type SessionRead,
  type Understanding,
} from '../../../../src/fulfillment/turn/understand';
import { EventDeliveryError } from '../../../../src/fulfillment/errors';
import { LexV2EventSchema, type LexV2Event } from '../../../../src/lex/types';
import * as v from 'valibot';
import {
  baseDeps,
  capturedMetrics,
  fixedSentiment,
  lexEvent,
  TEST_MODEL,
  type EventOptions,
} from '../../fixtures';

const parse = (o: EventOptions = {}): LexV2Event => v.parse(LexV2EventSchema, lexEvent(o));
const inputOf = (o: EventOptions = {}): TurnInput => readTurnInput(parse(o), TEST_MODEL);

function ctxWith(overrides: Partial<FulfillmentDeps> = {}): {
  ctx: TurnContext;
  counts: () => Record<string, number>;
} {
  const { metrics, counts } = capturedMetrics();
  return { ctx: turnContext(baseDeps({ metrics, ...overrides })), counts };
}

const noSession: SessionRead = { stored: undefined, failed: false, degradations: [] };
const neutral: Understanding = { sentiment: undefined, language: 'en', degradations: [] };

function answered(input: TurnInput, over: Partial<AnsweredTurn> = {}): AnsweredTurn {
  const answer = answerTurn(TEST_MODEL, input, noSession, neutral);
  return {
    input,
    session: noSession,
    understanding: neutral,
    answer,
    translation: { messages: answer.decision.messages, translatedInput: undefined, degradations: [] },
    latencyMs: 5,
    timestamp: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

describe('readTurnInput: the event alone', () => {
  test('GIVEN a channel attribute in capitals WHEN read THEN it is lower-cased; an invalid one is "unknown"', () => {
    expect(inputOf({ requestAttributes: { channel: 'WEB' } }).channel).toBe('web');
    expect(inputOf({ requestAttributes: { channel: 'not a channel!' } }).channel).toBe('unknown');
  });

  test.each([
    [{ inputMode: 'Speech' as const }, true],
    [{ requestAttributes: { channel: 'web', audio: 'true' } }, true],
    [{ requestAttributes: { channel: 'phone' } }, true],
    [{ requestAttributes: { channel: 'web' } }, false],
  ])('GIVEN %j WHEN read THEN voice is %s', (o, voice) => {
    expect(inputOf(o).voice).toBe(voice);
  });

  test('GIVEN PII and over-long text WHEN read THEN the text is cut to 1,024 characters and redacted', () => {
    const input = inputOf({ text: `mail me at jane@example.com ${'x'.repeat(2000)}` });
    expect(input.text).not.toContain('jane@example.com');
    expect(input.text.length).toBeLessThanOrEqual(1024);
  });

  test('GIVEN Lex attributes with a language WHEN read THEN the previous language is theirs, else the locale language', () => {
    expect(inputOf({ sessionAttributes: { turn: '2', language: 'fr' } }).previousLanguage).toBe('fr');
    expect(inputOf({ locale: 'es_US' }).previousLanguage).toBe('es');
  });

  test('GIVEN attributes without a valid turn WHEN read THEN there is no session in them', () => {
    expect(sessionFromAttributes({ turn: 'x' }, 'en_US')).toBeUndefined();
    expect(sessionFromAttributes({ turn: '3', sentimentTrend: 'NEGATIVE,bogus,POSITIVE' }, 'en_US')).toEqual({
      turn: 3,
      language: '',
      locale: 'en_US',
      sentimentTrend: ['NEGATIVE', 'POSITIVE'],
      escalated: false,
    });
  });
});

describe('round 1: readSession and understand', () => {
  test('GIVEN Lex sent a sentiment WHEN understood THEN Comprehend is not called and the sentiment is Lex’s', async () => {
    const sentiment = fixedSentiment('POSITIVE');
    const { ctx } = ctxWith({ sentiment });

    const out = await understand(ctx, inputOf({ lexSentiment: 'NEGATIVE' }));

    expect(sentiment.calls).toEqual([]);
    expect(out.sentiment).toEqual({ label: 'NEGATIVE', score: 1 });
  });

  test('GIVEN a confident turn in the bot language WHEN understood THEN the language is not detected', async () => {
    const detect = jest.fn();
    const { ctx } = ctxWith({ languageDetector: { detect }, translator: { translate: jest.fn() } });

    const out = await understand(ctx, inputOf({ nluConfidence: 0.9 }));

    expect(detect).not.toHaveBeenCalled();
    expect(out.language).toBe('en');
  });

  test('GIVEN a low-confidence turn WHEN the detector is sure of French THEN the language is fr; unsure keeps the previous one', async () => {
    const input = inputOf({ nluConfidence: 0.3, text: 'je voudrais mon colis' });
    const sure = ctxWith({
      languageDetector: { detect: async () => ({ languageCode: 'fr', score: 0.95 }) },
      translator: { translate: async (t) => t },
    });
    const unsure = ctxWith({
      languageDetector: { detect: async () => ({ languageCode: 'fr', score: 0.5 }) },
      translator: { translate: async (t) => t },
    });

    expect((await understand(sure.ctx, input)).language).toBe('fr');
    expect((await understand(unsure.ctx, input)).language).toBe('en');
  });

  test('GIVEN both dependencies fail WHEN read and understood THEN each returns its degradation, in order, without counting it', async () => {
    const { ctx, counts } = ctxWith({
      sentiment: { detect: async () => Promise.reject(new Error('throttled')) },
      languageDetector: { detect: async () => Promise.reject(new Error('down')) },
      translator: { translate: async (t) => t },
    });
    const deps = ctx.deps as ReturnType<typeof baseDeps>;
    deps.sessions.fail = true;
    const input = inputOf({ nluConfidence: 0.3 });

    const [session, understanding] = await Promise.all([readSession(ctx, input), understand(ctx, input)]);

    expect(session).toMatchObject({ stored: undefined, failed: true });
    expect(session.degradations.map((d) => d.metric)).toEqual([Metric.SessionStoreUnavailable]);
    expect(understanding.degradations.map((d) => d.metric)).toEqual([
      Metric.SentimentUnavailable,
      Metric.TranslationUnavailable,
    ]);
    expect(understanding.language).toBe('en');
    expect(counts()).toEqual({});
  });

  test('GIVEN every read WHEN round 1 runs THEN all three calls start before any answers', async () => {
    const started: string[] = [];
    const gate = <T>(name: string, value: T) => {
      started.push(name);
      return new Promise<T>((resolve) => setTimeout(() => resolve(value), 10));
    };
    const { ctx } = ctxWith({
      sentiment: { detect: () => gate('sentiment', { label: 'NEUTRAL' as const, score: 1 }) },
      languageDetector: { detect: () => gate('language', { languageCode: 'en', score: 1 }) },
      translator: { translate: async (t) => t },
      sessions: { get: () => gate('session', undefined), put: async () => undefined },
    });
    const input = inputOf({ nluConfidence: 0.3 });

    const round = Promise.all([readSession(ctx, input), understand(ctx, input)]);
    expect(started).toEqual(['session', 'sentiment', 'language']);
    await round;
  });
});

describe('answerTurn', () => {
  test('GIVEN Lex attributes and a stored session disagree WHEN answered THEN Lex’s turn number wins (a retry keeps its turn)', () => {
    const input = inputOf({ sessionAttributes: { turn: '4' } });
    const stored = {
      turn: 9,
      language: 'en',
      locale: 'en_US' as const,
      sentimentTrend: [],
      escalated: false,
    };

    const answer = answerTurn(TEST_MODEL, input, { stored, failed: false, degradations: [] }, neutral);

    expect(answer.turn).toBe(5);
  });

  test('GIVEN a second negative turn WHEN answered THEN it escalates on sentiment', () => {
    const input = inputOf({ sessionAttributes: { turn: '1', sentimentTrend: 'NEGATIVE' } });

    const answer = answerTurn(TEST_MODEL, input, noSession, {
      ...neutral,
      sentiment: { label: 'NEGATIVE', score: 0.9 },
    });

    expect(answer).toMatchObject({
      sentimentEscalation: true,
      escalated: true,
      trend: ['NEGATIVE', 'NEGATIVE'],
    });
  });
});

describe('translateTurn', () => {
  test('GIVEN the turn is in the bot language WHEN translated THEN nothing is called and the answer is unchanged', async () => {
    const translate = jest.fn();
    const { ctx } = ctxWith({ translator: { translate } });
    const messages = [{ contentType: 'PlainText' as const, content: 'Hello' }];

    const out = await translateTurn(ctx, inputOf(), 'en', messages);

    expect(translate).not.toHaveBeenCalled();
    expect(out).toEqual({ messages, translatedInput: undefined, degradations: [] });
  });

  test('GIVEN a translation that loses an order number WHEN translated THEN that message stays as it was and the turn notes one degradation', async () => {
    const { ctx } = ctxWith({
      translator: {
        translate: async (text, _from, to) => (to === 'fr' ? 'Votre commande est en route.' : text),
      },
    });
    const messages = [{ contentType: 'PlainText' as const, content: 'Order ABC-123456 is on its way.' }];

    const out = await translateTurn(ctx, inputOf({ text: 'où est ma commande' }), 'fr', messages);

    expect(out.messages).toEqual(messages);
    expect(out.translatedInput).toBe('où est ma commande');
    expect(out.degradations.map((d) => [d.metric, d.what])).toEqual([
      [Metric.TranslationUnavailable, 'translation'],
    ]);
  });
});

describe('round 2: persistTurn and noteWrites', () => {
  test('GIVEN the session read failed WHEN persisted THEN the session put is not attempted', async () => {
    const put = jest.fn();
    const { ctx } = ctxWith({ sessions: { get: async () => undefined, put } });
    const input = inputOf();

    const writes = await persistTurn(ctx, answered(input, { session: { ...noSession, failed: true } }), []);

    expect(put).not.toHaveBeenCalled();
    expect(writes.session).toBeUndefined();
    expect(writes.context).toEqual({ ok: true, value: 'written' });
  });

  test('GIVEN the session store already degraded WHEN the put fails too THEN it is counted once', () => {
    const { ctx, counts } = ctxWith();
    const log = new DegradedLog(ctx);
    log.note([{ metric: Metric.SessionStoreUnavailable, error: new Error('x'), what: 'session get' }]);
    const writes: Writes = {
      context: { ok: true, value: 'written' },
      session: { ok: false, error: new Error('down') },
      events: { ok: true, value: undefined },
      speech: undefined,
    };

    noteWrites(ctx, log, answered(inputOf()), writes);

    expect(counts()[Metric.SessionStoreUnavailable]).toBe(1);
  });

  test('GIVEN undelivered events WHEN noted THEN EventsFailed counts their ids and is named degraded, not logged at warn', () => {
    const { ctx, counts } = ctxWith();
    const warn = jest.spyOn(ctx.deps.logger, 'warn');
    const log = new DegradedLog(ctx);
    const writes: Writes = {
      context: { ok: true, value: 'written' },
      session: { ok: true, value: undefined },
      events: { ok: false, error: new EventDeliveryError(['a#1', 'b#2'], 'failed') },
      speech: { ok: true, value: { audioUrl: 'https://audio.example/1.mp3' } },
    };

    const audioUrl = noteWrites(ctx, log, answered(inputOf()), writes);

    expect(audioUrl).toBe('https://audio.example/1.mp3');
    expect(counts()[Metric.EventsFailed]).toBe(2);
    expect(log.list()).toEqual([Metric.EventsFailed]);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('respond: session attributes', () => {
  test('GIVEN stale per-turn attributes WHEN this turn has none of them THEN they are removed; other attributes stay', () => {
    const input = inputOf({
      sessionAttributes: {
        sentiment: 'NEGATIVE',
        audioUrl: 'old',
        translatedInput: 'old',
        answerSource: 'knowledge',
        citations: '[{"title":"Old","link":"/old","snippet":"old"}]',
        ticketRef: 'T-0000000000',
        custom: 'kept',
      },
    });

    const attrs = sessionAttributesOf(answered(input), undefined);

    expect(attrs).toEqual({
      custom: 'kept',
      turn: '1',
      language: 'en',
      sentimentTrend: '',
      escalated: 'false',
      lastIntent: 'Greeting',
      answerSource: 'intent',
      citations: '',
      ticketRef: '',
    });
  });
});

describe('text limits count characters (code points), never splitting one', () => {
  const emoji = '😀';

  test('GIVEN 1,023 letters and an emoji (1,024 characters) WHEN read THEN the whole text is kept', () => {
    const text = 'a'.repeat(1023) + emoji;

    expect(inputOf({ text }).text).toBe(text);
  });

  test('GIVEN 2,000 emoji WHEN read THEN 1,024 of them are kept, no half of one', () => {
    const text = inputOf({ text: emoji.repeat(2000) }).text;

    expect(text).toBe(emoji.repeat(1024));
  });

  test('GIVEN a translated input of 1,024 characters with an emoji WHEN carried in the attributes THEN it is whole', () => {
    const input = inputOf();
    const translatedInput = 'b'.repeat(1023) + emoji;
    const turn = answered(input);

    const attrs = sessionAttributesOf(
      { ...turn, translation: { ...turn.translation, translatedInput } },
      undefined,
    );

    expect(attrs.translatedInput).toBe(translatedInput);
  });
});

describe('composeFulfillment', () => {
  test('GIVEN a Lambda context WHEN invoked THEN the logger gets it and the turn is answered', async () => {
    const deps = baseDeps({ sentiment: fixedSentiment('NEUTRAL') });
    const addContext = jest.spyOn(deps.logger, 'addContext');
    const handler = composeFulfillment(
      { sessions: deps.sessions, context: deps.context, events: deps.events, sentiment: deps.sentiment },
      { config: deps.config, model: deps.model, logger: deps.logger, metrics: deps.metrics },
    );
    const context = { functionName: 'fulfillment', awsRequestId: 'req-1' } as never;

    const res = await handler(lexEvent({ intent: 'Greeting' }), context);

    expect(addContext).toHaveBeenCalledWith(context);
    expect(res.messages?.[0]?.content).toBe('Hello! How can I help?');
    expect(deps.events.events).toHaveLength(1);
  });
});

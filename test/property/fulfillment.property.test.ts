/**
 * Property: whatever arrives (garbage, a Lex event with any field broken, a structurally valid
 * event with hostile content) and whichever dependencies fail, the fulfillment handler
 * resolves with a valid Lex V2 response. 10,000 generated events in total.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { createFulfillmentHandler } from '../../src/fulfillment/create-handler';
import { LexV2ResponseSchema } from '../../src/lex/response';
import type { Sentiment } from '../../src/ports';
import { BOT_MODEL } from '../../contracts/bot-model';
import { baseDeps, lexEvent, scalar } from '../src/fixtures';
import { hostileString, hostileValue } from './hostile-inputs';

const failures = fc.record({
  sessions: fc.boolean(),
  context: fc.boolean(),
  events: fc.boolean(),
  sentiment: fc.boolean(),
  translate: fc.boolean(),
  speech: fc.boolean(),
});

function handlerWith(fail: {
  sessions: boolean;
  context: boolean;
  events: boolean;
  sentiment: boolean;
  translate: boolean;
  speech: boolean;
}) {
  const deps = baseDeps({
    model: BOT_MODEL,
    sentiment: {
      detect: async (): Promise<Sentiment> =>
        fail.sentiment ? Promise.reject(new Error('throttled')) : { label: 'NEGATIVE', score: 0.8 },
    },
    languageDetector: { detect: async () => ({ languageCode: 'fr', score: 0.9 }) },
    translator: {
      translate: async (text: string) =>
        fail.translate ? Promise.reject(new Error('throttled')) : `fr:${text}`,
    },
    speech: {
      synthesize: async () =>
        fail.speech ? Promise.reject(new Error('polly down')) : { audioUrl: 'https://audio.example/x.mp3' },
    },
  });
  deps.sessions.fail = fail.sessions;
  deps.context.fail = fail.context;
  deps.events.fail = fail.events;
  return createFulfillmentHandler(deps);
}

async function assertValidAnswer(handler: (e: unknown) => Promise<unknown>, event: unknown): Promise<void> {
  const res = await handler(event);
  const parsed = v.safeParse(LexV2ResponseSchema, res);
  if (!parsed.success)
    throw new Error(`invalid response ${JSON.stringify(res)}:\n${v.summarize(parsed.issues)}`);
  JSON.stringify(res); // serializable for Lex
}

const intentNames = fc.oneof(fc.constantFrom(...BOT_MODEL.intents.map((i) => i.name)), hostileString);

const slot = fc.oneof(
  fc.constant(null),
  hostileString.map((v) => scalar(v)),
  fc
    .array(hostileString, { maxLength: 4 })
    .map((vs) => ({ shape: 'List', value: { originalValue: vs.join(' ') }, values: vs.map(scalar) })),
  fc.record({
    value: fc.record({
      originalValue: hostileValue,
      interpretedValue: hostileValue,
      resolvedValues: hostileValue,
    }),
  }),
  hostileValue,
);

/** Structurally plausible events with hostile content. */
const structuredEvent = fc
  .record({
    source: fc.constantFrom('DialogCodeHook', 'FulfillmentCodeHook') as fc.Arbitrary<
      'DialogCodeHook' | 'FulfillmentCodeHook'
    >,
    intent: intentNames,
    slots: fc.oneof(
      fc.constant(null),
      fc.dictionary(fc.constantFrom('OrderNumber', 'IssueCategory', '__proto__', 'x'), slot, { maxKeys: 3 }),
    ),
    text: hostileString,
    locale: fc.constantFrom('en_US', 'es_US') as fc.Arbitrary<'en_US' | 'es_US'>,
    sessionId: fc.oneof(fc.stringMatching(/^[0-9a-zA-Z._:-]{2,100}$/), hostileString),
    inputMode: fc.constantFrom('Text', 'Speech', 'DTMF') as fc.Arbitrary<'Text' | 'Speech' | 'DTMF'>,
    nluConfidence: fc.double({ min: 0, max: 1, noNaN: true }),
    sessionAttributes: fc.dictionary(
      fc.constantFrom('turn', 'language', 'sentimentTrend', 'escalated', 'lastIntent', '__proto__', 'other'),
      hostileString,
      { maxKeys: 5 },
    ),
    requestAttributes: fc.dictionary(
      fc.constantFrom('channel', 'audio', 'userId', 'constructor'),
      hostileString,
      { maxKeys: 3 },
    ),
  })
  .map((o) => lexEvent(o as never));

/** A valid event with one to three top-level or nested fields replaced by hostile values. */
const mutatedEvent = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'invocationSource',
          'inputMode',
          'sessionId',
          'inputTranscript',
          'bot',
          'bot.localeId',
          'interpretations',
          'interpretations.0',
          'interpretations.0.intent',
          'interpretations.0.nluConfidence',
          'sessionState',
          'sessionState.intent',
          'sessionState.intent.name',
          'sessionState.intent.slots',
          'sessionState.sessionAttributes',
          'requestAttributes',
          'messageVersion',
        ),
        hostileValue,
      ),
      { minLength: 1, maxLength: 3 },
    ),
    fc.boolean(),
  )
  .map(([mutations, dialog]) => {
    const event = lexEvent({
      source: dialog ? 'DialogCodeHook' : 'FulfillmentCodeHook',
      intent: 'CheckOrderStatus',
      slots: { OrderNumber: scalar('ABC-123456') },
    });
    for (const [path, value] of mutations) {
      const parts = path.split('.');
      let target: Record<string, unknown> | undefined = event;
      for (const p of parts.slice(0, -1)) {
        const next: unknown = target?.[p];
        target = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
      }
      if (target) target[parts[parts.length - 1]] = value;
    }
    return event;
  });

const params = (numRuns: number) => ({ numRuns, seed: Number(process.env.FC_SEED ?? 20250101) });

describe('fulfillment handler under hostile input (fast-check)', () => {
  test('GIVEN any generated JS value WHEN handled THEN a valid Lex V2 response (2,000 runs)', async () => {
    const handler = handlerWith({
      sessions: false,
      context: false,
      events: false,
      sentiment: false,
      translate: false,
      speech: false,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true }),
        (event) => assertValidAnswer(handler, event),
      ),
      params(2000),
    );
  });

  test('GIVEN any generated Lex event with broken fields WHEN handled THEN a valid Lex V2 response (4,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedEvent, failures, (event, fail) => assertValidAnswer(handlerWith(fail), event)),
      params(4000),
    );
  });

  test('GIVEN any generated plausible event with hostile content and failing dependencies WHEN handled THEN a valid Lex V2 response (4,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(structuredEvent, failures, (event, fail) =>
        assertValidAnswer(handlerWith(fail), event),
      ),
      params(4000),
    );
  });
});

/**
 * The local Lex runtime's dialog management and the code-hook events it builds, with a fake
 * code hook (recording events) and the small test model.
 */
import { LexRuntime } from '../../local/lex/lex-runtime';
import { LexError, type CodeHookEvent, type RecognizeTextRequest } from '../../local/lex/wire';
import { LocalNlu } from '../../local/nlu/local-nlu';
import { LexV2EventSchema } from '../../src/lex/types';
import * as v from 'valibot';
import { slotElicitationCard } from '../../contracts/bot-model/quick-replies';
import { MINI_MODEL } from './mini-model';

const BOT = {
  id: 'LOCALBOTID',
  name: 'MiniSupportBot',
  aliasId: 'LOCALALIAS',
  aliasName: 'live',
  version: '1',
};

let nlu: LocalNlu;
beforeAll(async () => {
  nlu = await LocalNlu.train(MINI_MODEL, { threshold: 0.4, locales: ['en_US', 'es_US'] });
});

/** A code hook that delegates (lets Lex drive) unless told otherwise, recording every event. */
function recordingHook(answer?: (event: CodeHookEvent) => unknown) {
  const events: CodeHookEvent[] = [];
  const hook = async (event: CodeHookEvent): Promise<unknown> => {
    events.push(event);
    if (answer) return answer(event);
    if (event.invocationSource === 'DialogCodeHook') {
      return { sessionState: { dialogAction: { type: 'Delegate' }, intent: event.sessionState.intent } };
    }
    return {
      sessionState: {
        sessionAttributes: {
          ...event.sessionState.sessionAttributes,
          lastIntent: event.sessionState.intent!.name,
        },
        dialogAction: { type: 'Close' },
        intent: { ...event.sessionState.intent, state: 'Fulfilled' },
      },
      messages: [{ contentType: 'PlainText', content: `done ${event.sessionState.intent!.name}` }],
    };
  };
  return { events, hook };
}

function runtime(hook: (event: CodeHookEvent) => Promise<unknown>): LexRuntime {
  return new LexRuntime({
    nlu,
    codeHook: hook,
    bot: BOT,
    botIdAliases: ['TSTBOTID00'],
    aliasIdAliases: ['TSTALIASID'],
    locales: ['en_US', 'es_US'],
    idleSessionTtlSeconds: 900,
  });
}

const req = (text: string, extra: Partial<RecognizeTextRequest> = {}): RecognizeTextRequest => ({
  botId: 'LOCALBOTID',
  botAliasId: 'LOCALALIAS',
  localeId: 'en_US',
  sessionId: 'sess-1',
  text,
  ...extra,
});

describe('GIVEN the LexRuntime', () => {
  test('WHEN it calls a dialog code hook THEN the event is a valid, documented Lex V2 event', async () => {
    // GIVEN an intent with its dialog code hook on and a missing required slot
    const { events, hook } = recordingHook();
    const lex = runtime(hook);
    // WHEN the user asks about an order without its number
    await lex.recognizeText(req('where is my order', { requestAttributes: { channel: 'web' } }));
    // THEN the handler got a DialogCodeHook event with Lex's fields
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(v.safeParse(LexV2EventSchema, event).success).toBe(true);
    expect(event).toMatchObject({
      messageVersion: '1.0',
      invocationSource: 'DialogCodeHook',
      inputMode: 'Text',
      responseContentType: 'text/plain; charset=utf-8',
      sessionId: 'sess-1',
      inputTranscript: 'where is my order',
      bot: {
        id: 'LOCALBOTID',
        name: 'MiniSupportBot',
        aliasId: 'LOCALALIAS',
        aliasName: 'live',
        localeId: 'en_US',
        version: '1',
      },
      requestAttributes: { channel: 'web' },
      proposedNextState: {
        dialogAction: { type: 'ElicitSlot', slotToElicit: 'OrderNumber' },
        prompt: { attempt: 'Initial' },
      },
      sessionState: {
        intent: {
          name: 'CheckOrderStatus',
          slots: { OrderNumber: null },
          state: 'InProgress',
          confirmationState: 'None',
        },
      },
    });
    expect(event.interpretations[0]).toMatchObject({
      intent: { name: 'CheckOrderStatus' },
      interpretationSource: 'Lex',
    });
    expect(event.interpretations[0]!.nluConfidence).toBeGreaterThanOrEqual(0.4);
    // the fallback intent is always among the interpretations, without a confidence (as in Lex)
    const fallback = event.interpretations.find((i) => i.intent.name === 'FallbackIntent');
    expect(fallback).toBeDefined();
    expect(fallback!.nluConfidence).toBeUndefined();
  });

  test('WHEN the hook answers Delegate THEN Lex elicits the missing slot with the model prompt, keeps it across turns, then fulfills', async () => {
    // GIVEN a hook that delegates dialog turns
    const { events, hook } = recordingHook();
    const lex = runtime(hook);
    // WHEN the user asks, then gives the order number on the next turn
    const first = await lex.recognizeText(req('where is my order'));
    const second = await lex.recognizeText(req('it is ORD-12345 thanks'));
    // THEN the first answer elicits the slot with the model's prompt
    expect(first.messages).toEqual([{ contentType: 'PlainText', content: 'What is your order number?' }]);
    expect(first.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'OrderNumber' });
    // AND the second fills it: dialog hook, then fulfillment hook with ReadyForFulfillment
    expect(events.map((e) => e.invocationSource)).toEqual([
      'DialogCodeHook',
      'DialogCodeHook',
      'FulfillmentCodeHook',
    ]);
    const fulfillment = events[2]!;
    expect(fulfillment.sessionState.intent).toMatchObject({
      name: 'CheckOrderStatus',
      state: 'ReadyForFulfillment',
      slots: {
        OrderNumber: {
          shape: 'Scalar',
          value: { originalValue: 'ORD-12345', interpretedValue: 'ORD-12345', resolvedValues: ['ORD-12345'] },
        },
      },
    });
    expect(fulfillment.proposedNextState).toBeUndefined();
    expect(second.sessionState).toMatchObject({
      dialogAction: { type: 'Close' },
      intent: { name: 'CheckOrderStatus', state: 'Fulfilled' },
    });
    expect(second.messages).toEqual([{ contentType: 'PlainText', content: 'done CheckOrderStatus' }]);
    expect(second.sessionState.sessionAttributes).toEqual({ lastIntent: 'CheckOrderStatus' });
  });

  test.each(['en_US', 'es_US'] as const)(
    'WHEN Lex elicits an enumeration slot itself (%s) THEN the prompt is followed by the quick-reply card of the shared function, and a button value sent back fills the slot',
    async (localeId) => {
      const lex = runtime(recordingHook().hook);
      const text = localeId === 'en_US' ? 'product information' : 'información de productos';
      const sessionId = `cards-${localeId}`;

      const ask = await lex.recognizeText(req(text, { localeId, sessionId }));
      const card = slotElicitationCard(MINI_MODEL, { slotType: 'ProductTypeType' }, localeId)!;

      expect(ask.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'ProductType' });
      expect(ask.messages).toEqual([
        {
          contentType: 'PlainText',
          content: MINI_MODEL.intents.find((i) => i.name === 'ProductInfo')!.slots[0]!.prompt[localeId],
        },
        { contentType: 'ImageResponseCard', imageResponseCard: { title: card.title, buttons: card.buttons } },
      ]);
      const chosen = card.buttons[1]!;
      const filled = await lex.recognizeText(req(chosen.value, { localeId, sessionId }));
      expect(filled.sessionState.intent).toMatchObject({
        name: 'ProductInfo',
        state: 'Fulfilled',
        slots: { ProductType: { value: { resolvedValues: [localeId === 'en_US' ? 'phone' : 'teléfono'] } } },
      });
    },
  );

  test('WHEN an intent has no code hooks THEN Lex closes it with the model response, slots substituted', async () => {
    const { events, hook } = recordingHook();
    const lex = runtime(hook);
    const out = await lex.recognizeText(req('tell me about the notebook'));
    expect(events).toHaveLength(0);
    expect(out.sessionState.intent).toMatchObject({
      name: 'ProductInfo',
      state: 'Fulfilled',
      slots: {
        ProductType: {
          value: { originalValue: 'notebook', interpretedValue: 'laptop', resolvedValues: ['laptop'] },
        },
      },
    });
    expect(out.messages).toEqual([{ contentType: 'PlainText', content: 'The laptop is great.' }]);
  });

  test('WHEN the hook answers ElicitSlot without a message THEN the slot prompt is used; session attributes come back', async () => {
    const lex = runtime(async (event) => ({
      sessionState: {
        sessionAttributes: { turn: '1' },
        dialogAction: { type: 'ElicitSlot', slotToElicit: 'OrderNumber' },
        intent: { ...event.sessionState.intent, state: 'InProgress' },
      },
    }));
    const out = await lex.recognizeText(
      req('order status', { localeId: 'es_US', text: 'estado del pedido' }),
    );
    expect(out.messages).toEqual([{ contentType: 'PlainText', content: '¿Cuál es tu número de pedido?' }]);
    expect(out.sessionState.sessionAttributes).toEqual({ turn: '1' });
    expect(out.interpretations[0]).toMatchObject({
      intent: { name: 'CheckOrderStatus' },
      interpretationSource: 'Lex',
    });
    expect(out.interpretations[0]!.nluConfidence!.score).toBeGreaterThan(0);
  });

  test('WHEN the classifier cannot place the text THEN it goes to FallbackIntent without a confidence', async () => {
    const { events, hook } = recordingHook();
    const lex = runtime(hook);
    const out = await lex.recognizeText(req('how tall is mount everest'));
    expect(out.sessionState.intent?.name).toBe('FallbackIntent');
    expect(out.interpretations[0]!.nluConfidence).toBeUndefined();
    expect(events[0]!.invocationSource).toBe('FulfillmentCodeHook');
  });

  test('WHEN a clear new request comes while a slot is elicited THEN it switches the intent', async () => {
    const { hook } = recordingHook();
    const lex = runtime(hook);
    await lex.recognizeText(req('where is my order'));
    const out = await lex.recognizeText(req('goodbye'));
    expect(out.sessionState.intent).toMatchObject({ name: 'Goodbye', state: 'Fulfilled' });
  });

  test('WHEN Lex has retried the elicitation twice THEN the intent fails', async () => {
    const { hook } = recordingHook();
    const lex = runtime(hook);
    await lex.recognizeText(req('where is my order'));
    const retries = [];
    for (let i = 0; i < 3; i += 1) retries.push(await lex.recognizeText(req('umm where')));
    expect(retries[0]!.sessionState.dialogAction).toEqual({
      type: 'ElicitSlot',
      slotToElicit: 'OrderNumber',
    });
    expect(retries[2]!.sessionState).toMatchObject({
      dialogAction: { type: 'Close' },
      intent: { state: 'Failed' },
    });
  });

  test('WHEN another session id with the test bot and alias ids is used THEN sessions are per locale and session id; those ids are accepted', async () => {
    const { hook } = recordingHook();
    const lex = runtime(hook);
    await lex.recognizeText(req('where is my order'));
    const other = await lex.recognizeText(
      req('ORD-12345', { sessionId: 'sess-2', botId: 'TSTBOTID00', botAliasId: 'TSTALIASID' }),
    );
    // a fresh session does not know the elicitation of sess-1: ORD-12345 alone is just an order number
    expect(other.sessionState.intent?.name).toBe('CheckOrderStatus');
    expect(lex.sessionCount).toBe(2);
  });

  test.each([
    [{ botId: 'NOSUCHBOT0' }, 'ResourceNotFoundException'],
    [{ botAliasId: 'NOALIAS000' }, 'ResourceNotFoundException'],
    [{ localeId: 'fr_FR' }, 'ResourceNotFoundException'],
    [{ sessionId: 'bad id!' }, 'ValidationException'],
    [{ text: '' }, 'ValidationException'],
    [{ text: 'x'.repeat(1025) }, 'ValidationException'],
    [{ requestAttributes: { a: 1 } as unknown as Record<string, string> }, 'ValidationException'],
  ])('WHEN the request has %j THEN it is rejected with %s', async (override, name) => {
    const lex = runtime(recordingHook().hook);
    await expect(lex.recognizeText(req('hello', override))).rejects.toMatchObject({ name });
  });

  test('WHEN text length is checked THEN it is counted in characters (code points), as Lex and the channel count it', async () => {
    const lex = runtime(recordingHook().hook);
    // 1,024 characters, 1,025 UTF-16 code units: accepted
    await expect(lex.recognizeText(req('a'.repeat(1023) + '😀'))).resolves.toMatchObject({
      sessionId: expect.any(String),
    });
    await expect(
      lex.recognizeText(req('😀'.repeat(1024), { sessionId: 'sess-emoji' })),
    ).resolves.toBeDefined();
    // 1,025 characters: refused
    await expect(
      lex.recognizeText(req('😀'.repeat(1025), { sessionId: 'sess-emoji-2' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('WHEN a code hook throws or answers garbage THEN it is a DependencyFailedException (424)', async () => {
    const throwing = runtime(async () => {
      throw new Error('boom');
    });
    const garbage = runtime(async () => ({ nope: true }));
    const e1 = await throwing.recognizeText(req('where is my order')).catch((e: unknown) => e);
    const e2 = await garbage.recognizeText(req('where is my order')).catch((e: unknown) => e);
    for (const e of [e1, e2]) {
      expect(e).toBeInstanceOf(LexError);
      expect((e as LexError).name).toBe('DependencyFailedException');
      expect((e as LexError).status).toBe(424);
    }
  });
});

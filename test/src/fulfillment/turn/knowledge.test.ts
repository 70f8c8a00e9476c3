/** Which turns are knowledge questions, and which knowledge base they go to (no I/O). */
import * as v from 'valibot';
import { BOT_MODEL } from '../../../../contracts/bot-model';
import { readTurnInput } from '../../../../src/fulfillment/turn/input';
import { knowledgeQuestionOf, normalize } from '../../../../src/fulfillment/turn/knowledge';
import { LexV2EventSchema } from '../../../../src/lex/types';
import { type EventOptions, lexEvent, scalar } from '../../fixtures';

const question = (o: EventOptions) =>
  knowledgeQuestionOf(
    BOT_MODEL,
    ['en_US', 'es_US'],
    readTurnInput(v.parse(LexV2EventSchema, lexEvent(o)), BOT_MODEL),
  );

describe('knowledgeQuestionOf', () => {
  test('GIVEN a fallback turn with a question WHEN read THEN it goes to the locale knowledge base', () => {
    expect(question({ intent: 'FallbackIntent', text: 'how do refunds work' })).toEqual({
      locale: 'en_US',
      language: 'en',
    });
    expect(question({ intent: 'FallbackIntent', text: '¿cómo funcionan?', locale: 'es_US' })).toEqual({
      locale: 'es_US',
      language: 'es',
    });
  });

  test('GIVEN a fallback turn without words ("?", "1", "") WHEN read THEN no question (the fallback answer)', () => {
    for (const text of ['?', '1', '', ' k '])
      expect(question({ intent: 'FallbackIntent', text })).toBeUndefined();
  });

  test('GIVEN an en_US turn from a customer who wrote Spanish last turn WHEN read THEN the Spanish knowledge base', () => {
    expect(
      question({
        intent: 'FallbackIntent',
        text: 'y la garantía de los audífonos',
        sessionAttributes: { turn: '2', language: 'es' },
      }),
    ).toEqual({ locale: 'es_US', language: 'es' });
  });

  test.each(['Greeting', 'CheckOrderStatus', 'TalkToAgent', 'Goodbye'])(
    'GIVEN the intent %s WHEN read THEN never a knowledge question',
    (intent) => {
      expect(question({ intent, text: 'how long does the tablet battery last' })).toBeUndefined();
    },
  );

  test.each([
    ['how long does the tablet battery last', 'en_US', true],
    ['does the tablet have a headphone jack', 'en_US', true],
    ['does the tablet come with a warranty', 'en_US', false],
    ['what tablet do you have?', 'en_US', false],
    ['¿cuánto dura la batería de la tableta?', 'es_US', true],
    ['¿Qué tableta tienen?', 'es_US', false],
  ] as const)(
    'GIVEN ProductInfo hearing "%s" (%s) WHEN read THEN knowledge question: %s',
    (text, locale, expected) => {
      const out = question({ intent: 'ProductInfo', text, locale, slots: { ProductType: scalar('tablet') } });
      expect(out !== undefined).toBe(expected);
    },
  );
});

describe('normalize', () => {
  test('GIVEN accents, capitals and punctuation WHEN normalized THEN plain lower-case words', () => {
    expect(normalize('¿Qué  TABLETA tienen?')).toBe('que tableta tienen');
  });
});

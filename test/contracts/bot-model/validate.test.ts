/**
 * The bot model validator: the real model passes, and each kind of broken model is rejected
 * with a message naming what is wrong. Importing the model does no work; the Lex construct
 * validates it at synth (so `cdk synth` refuses a broken model) and the local platform at start-up.
 */
import { BOT_MODEL, BotModelError, MIN_UTTERANCES, validateBotModel } from '../../../contracts/bot-model';
import { MODEL } from '../../../contracts/bot-model/model';
import type {
  BotModel,
  IntentDefinition,
  LocaleId,
  SlotTypeDefinition,
} from '../../../contracts/bot-model/types';
import { LOCALES } from '../../../contracts/bot-model/types';
import { DEV } from '../../../lib/config/environments';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';
import { REQUIRED_INTENTS } from './required-intents';

const withIntent = (name: string, change: (i: IntentDefinition) => IntentDefinition): BotModel => ({
  ...BOT_MODEL,
  intents: BOT_MODEL.intents.map((i) => (i.name === name ? change(i) : i)),
});
const withSlotType = (name: string, change: (t: SlotTypeDefinition) => SlotTypeDefinition): BotModel => ({
  ...BOT_MODEL,
  slotTypes: BOT_MODEL.slotTypes.map((t) => (t.name === name ? change(t) : t)),
});
const addUtterance = (intent: string, locale: LocaleId, utterance: string): BotModel =>
  withIntent(intent, (i) => ({
    ...i,
    utterances: { ...i.utterances, [locale]: [...i.utterances[locale], utterance] },
  }));

describe('the real bot model', () => {
  test('GIVEN contracts/bot-model WHEN validated THEN it passes unchanged', () => {
    expect(validateBotModel(BOT_MODEL)).toBe(BOT_MODEL);
  });

  test('GIVEN the model the fulfillment Lambda bundles unvalidated WHEN compared THEN it is the object synth validated', () => {
    expect(MODEL).toBe(BOT_MODEL);
  });

  test('GIVEN contracts/bot-model WHEN its intents are read THEN it has the required intents, the same in both locales, with a FallbackIntent', () => {
    expect(BOT_MODEL.intents.map((i) => i.name)).toEqual(expect.arrayContaining([...REQUIRED_INTENTS]));
    expect(BOT_MODEL.intents.find((i) => i.name === 'FallbackIntent')?.parentIntentSignature).toBe(
      'AMAZON.FallbackIntent',
    );
  });

  test.each(LOCALES)(
    'GIVEN contracts/bot-model WHEN its utterances are counted THEN every intent but the fallback has >= 12 distinct utterances in %s',
    (locale) => {
      expect(MIN_UTTERANCES).toBeGreaterThanOrEqual(12);
      for (const intent of BOT_MODEL.intents.filter((i) => !i.parentIntentSignature)) {
        const utterances = intent.utterances[locale];
        expect({ intent: intent.name, enough: new Set(utterances).size >= 12 }).toEqual({
          intent: intent.name,
          enough: true,
        });
      }
    },
  );

  test('GIVEN contracts/bot-model WHEN its slot types are read THEN the three custom slot types exist: a pattern on AlphaNumeric and two enumerations with synonyms in both languages', () => {
    const types = Object.fromEntries(BOT_MODEL.slotTypes.map((t) => [t.name, t]));
    expect(types.OrderNumber?.kind).toBe('pattern');
    for (const name of ['IssueCategory', 'ProductType']) {
      const type = types[name]!;
      expect(type.kind).toBe('enumeration');
      if (type.kind !== 'enumeration') continue;
      for (const locale of LOCALES) {
        expect(type.values[locale].length).toBeGreaterThan(0);
        expect(type.values[locale].every((v) => v.synonyms.length > 0)).toBe(true);
      }
    }
  });
});

describe('validateBotModel rejects', () => {
  test('GIVEN an intent missing from a locale WHEN validated THEN it names the intent and the locale', () => {
    const broken = withIntent('Goodbye', (i) => ({
      ...i,
      utterances: { en_US: i.utterances.en_US } as IntentDefinition['utterances'],
    }));
    expect(() => validateBotModel(broken)).toThrow(BotModelError);
    expect(() => validateBotModel(broken)).toThrow('intent Goodbye (es_US) is missing from locale es_US');
  });

  test('GIVEN a ticket intent response without {TicketReference} WHEN validated THEN it is refused (an answer must give the reference it claims)', () => {
    const broken = withIntent('ReportIssue', (i) => ({
      ...i,
      responses: { ...i.responses, en_US: ['I created a ticket for your {IssueCategory} problem.'] },
    }));
    expect(() => validateBotModel(broken)).toThrow(
      'intent ReportIssue (en_US) registers a ticket: every response must give its {TicketReference}',
    );
  });

  test('GIVEN a ticket placeholder in an intent that registers no ticket WHEN validated THEN it is an undefined slot', () => {
    const broken = withIntent('Greeting', (i) => ({
      ...i,
      responses: { ...i.responses, en_US: ['Hi, your ticket is {TicketReference}.'] },
    }));
    expect(() => validateBotModel(broken)).toThrow(
      'intent Greeting (en_US) response names undefined slot {TicketReference}',
    );
  });

  test('GIVEN an escalation message that promises a hand-off without its reference WHEN validated THEN it is refused', () => {
    const broken: BotModel = {
      ...MODEL,
      messages: {
        ...MODEL.messages,
        escalation: { ...MODEL.messages.escalation, es_US: 'Te comunico con un agente.' },
      },
    };
    expect(() => validateBotModel(broken)).toThrow(
      'messages.escalation (es_US) hands over as a ticket: it must give its {TicketReference}',
    );
  });

  test('GIVEN an utterance naming an undefined slot WHEN validated THEN it names the utterance and the slot', () => {
    const broken = addUtterance('Greeting', 'en_US', 'hello my order is {OrderNumber}');
    expect(() => validateBotModel(broken)).toThrow(
      "intent Greeting (en_US) utterance 'hello my order is {OrderNumber}' names undefined slot {OrderNumber}",
    );
  });

  test('GIVEN the same utterance under two intents WHEN validated THEN it names both intents', () => {
    const taken = BOT_MODEL.intents.find((i) => i.name === 'Greeting')!.utterances.es_US[0]!;
    // differently cased and spaced: still the same utterance to the NLU
    const broken = addUtterance('Goodbye', 'es_US', `  ${taken.toUpperCase()} `);
    expect(() => validateBotModel(broken)).toThrow(/is under both Greeting and Goodbye/);
  });

  test('GIVEN an enumeration slot type without values in a locale WHEN validated THEN it names the type and locale', () => {
    const broken = withSlotType('ProductType', (t) =>
      t.kind === 'enumeration' ? { ...t, values: { ...t.values, es_US: [] } } : t,
    );
    expect(() => validateBotModel(broken)).toThrow('slot type ProductType has no values in es_US');
  });

  test('GIVEN a pattern slot type with an empty pattern WHEN validated THEN it is a slot type without values', () => {
    const broken = withSlotType(
      'OrderNumber',
      (t) => ({ ...t, regex: '', jsRegex: '' }) as SlotTypeDefinition,
    );
    expect(() => validateBotModel(broken)).toThrow('slot type OrderNumber has no values (empty regex)');
  });

  test(`GIVEN an intent with fewer than ${MIN_UTTERANCES} utterances WHEN validated THEN it says how many are needed`, () => {
    const broken = withIntent('TalkToAgent', (i) => ({
      ...i,
      utterances: { ...i.utterances, en_US: i.utterances.en_US.slice(0, MIN_UTTERANCES - 1) },
    }));
    expect(() => validateBotModel(broken)).toThrow(
      `intent TalkToAgent (en_US) has ${MIN_UTTERANCES - 1} utterances; at least ${MIN_UTTERANCES} are needed`,
    );
  });

  test('GIVEN a model without a FallbackIntent WHEN validated THEN it says Lex requires one', () => {
    const broken: BotModel = {
      ...BOT_MODEL,
      intents: BOT_MODEL.intents.filter((i) => i.name !== 'FallbackIntent'),
    };
    expect(() => validateBotModel(broken)).toThrow(/no FallbackIntent/);
  });

  test('GIVEN a slot of an unknown slot type WHEN validated THEN it names the slot and the type', () => {
    const broken = withIntent('ProductInfo', (i) => ({
      ...i,
      slots: i.slots.map((s) => ({ ...s, slotType: 'Colour' })),
    }));
    expect(() => validateBotModel(broken)).toThrow(
      'intent ProductInfo slot ProductType uses unknown slot type Colour',
    );
  });

  test.each(['constructor', 'prototype'])(
    'GIVEN a slot named %s WHEN validated THEN it is refused (the event schema would drop it)',
    (name) => {
      const broken = withIntent('ProductInfo', (i) => ({
        ...i,
        slots: i.slots.map((s) => ({ ...s, name })),
      }));
      expect(() => validateBotModel(broken)).toThrow(`intent ProductInfo slot ${name}: the Lex event schema`);
    },
  );
});

describe('at synth', () => {
  test('GIVEN a broken model passed to the stage WHEN the bot stack is built THEN synth fails with the validator message', () => {
    const broken = addUtterance('Greeting', 'en_US', 'hi {Nope}');
    expect(
      () => new ConversationalPlatformStage(testApp(), 'Broken', { config: DEV, botModel: broken }),
    ).toThrow(/names undefined slot \{Nope\}/);
  });
});

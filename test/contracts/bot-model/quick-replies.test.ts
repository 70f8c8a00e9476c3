import { BOT_MODEL } from '../../../contracts/bot-model';
import { CARD_LIMITS, slotElicitationCard } from '../../../contracts/bot-model/quick-replies';
import { LOCALES, type BotModel, type EnumerationSlotType } from '../../../contracts/bot-model/types';

const enumeration = (name: string) => BOT_MODEL.slotTypes.find((t) => t.name === name) as EnumerationSlotType;

/** The canonical value a text resolves to in a locale (a value or one of its synonyms), as Lex resolves it. */
const resolve = (type: EnumerationSlotType, locale: (typeof LOCALES)[number], text: string) =>
  type.values[locale].find(
    (v) =>
      v.value.toLowerCase() === text.toLowerCase() ||
      v.synonyms.some((s) => s.toLowerCase() === text.toLowerCase()),
  )?.value;

describe('slotElicitationCard', () => {
  test('GIVEN the IssueCategory slot WHEN carded in each locale THEN one button per value, labelled in the locale, each sending a text that resolves to that value', () => {
    const type = enumeration('IssueCategory');
    for (const locale of LOCALES) {
      const card = slotElicitationCard(BOT_MODEL, { slotType: 'IssueCategory' }, locale)!;

      expect(card.buttons.map((b) => resolve(type, locale, b.value))).toEqual(
        type.values[locale].map((v) => v.value),
      );
      expect(card.buttons.map((b) => b.text.toLowerCase())).toEqual(
        type.values[locale].map((v) => (v.label ?? v.value).toLowerCase()),
      );
    }
    expect(slotElicitationCard(BOT_MODEL, { slotType: 'IssueCategory' }, 'es_US')!.buttons[0]).toEqual({
      text: 'Facturación',
      value: 'facturación',
    });
  });

  test('GIVEN a Spanish label that is not a synonym (teléfonos) WHEN carded THEN the button sends a Spanish synonym that resolves, not the English value', () => {
    const card = slotElicitationCard(BOT_MODEL, { slotType: 'ProductType' }, 'es_US')!;

    expect(card.buttons[0]).toEqual({ text: 'Teléfonos', value: 'teléfono' });
    expect(card.buttons.map((b) => resolve(enumeration('ProductType'), 'es_US', b.value))).toEqual([
      'phone',
      'laptop',
      'tablet',
      'headphones',
      'smartwatch',
    ]);
  });

  test("GIVEN every enumeration of the model WHEN carded THEN the card is within Lex's limits (title, 5 buttons, 50-character text and value)", () => {
    for (const type of BOT_MODEL.slotTypes.filter((t) => t.kind === 'enumeration')) {
      for (const locale of LOCALES) {
        const card = slotElicitationCard(BOT_MODEL, { slotType: type.name }, locale)!;
        expect(card.title.length).toBeGreaterThan(0);
        expect(card.title.length).toBeLessThanOrEqual(CARD_LIMITS.title);
        expect(card.buttons.length).toBeLessThanOrEqual(CARD_LIMITS.buttons);
        for (const b of card.buttons) {
          expect(b.text.length).toBeLessThanOrEqual(CARD_LIMITS.text);
          expect(b.value.length).toBeLessThanOrEqual(CARD_LIMITS.value);
        }
      }
    }
  });

  test('GIVEN a pattern slot, six values, or a value over 50 characters WHEN carded THEN no card (never a cut-down list or a truncated value)', () => {
    const value = (v: string) => ({ value: v, synonyms: [] });
    const model = (values: string[]): BotModel => ({
      ...BOT_MODEL,
      slotTypes: [
        {
          kind: 'enumeration',
          name: 'T',
          description: 't',
          values: { en_US: values.map(value), es_US: values.map(value) },
        },
      ],
    });

    expect(slotElicitationCard(BOT_MODEL, { slotType: 'OrderNumber' }, 'en_US')).toBeUndefined();
    expect(
      slotElicitationCard(model(['a', 'b', 'c', 'd', 'e', 'f']), { slotType: 'T' }, 'en_US'),
    ).toBeUndefined();
    expect(slotElicitationCard(model(['a', 'x'.repeat(51)]), { slotType: 'T' }, 'en_US')).toBeUndefined();
    expect(
      slotElicitationCard(model(['a', 'b', 'c', 'd', 'e']), { slotType: 'T' }, 'en_US')!.buttons,
    ).toHaveLength(5);
  });
});

import type { BotModel } from '../../../contracts/bot-model/types';
import {
  fillTemplate,
  negativeStreak,
  patternOf,
  protectedPatterns,
  slotValue,
} from '../../../src/fulfillment/dialog';
import { maskTerms, restoreTerms } from '../../../src/fulfillment/protected-terms';
import { scalar, TEST_MODEL } from '../fixtures';

const anchoredModel: BotModel = {
  ...TEST_MODEL,
  slotTypes: [
    {
      kind: 'pattern',
      name: 'OrderNumber',
      description: 'o',
      regex: '[0-9]{5,10}',
      jsRegex: '^(?:[A-Za-z]{2})?[0-9]{5,10}$',
    },
  ],
};

describe('dialog helpers', () => {
  test.each([
    ['a scalar slot', scalar('billing'), 'billing'],
    ['null', null, undefined],
    ['a slot without value', { shape: 'Scalar' as const }, undefined],
    ['a List slot', { shape: 'List' as const, values: [scalar('a'), scalar('b')] }, 'a, b'],
    [
      'resolved values first',
      {
        shape: 'Scalar' as const,
        value: { originalValue: 'invoice', interpretedValue: 'invoice', resolvedValues: ['billing'] },
      },
      'billing',
    ],
    ['a blank value', scalar('   '), undefined],
  ])('GIVEN %s WHEN read by slotValue THEN its expected value', (_, slot, expected) => {
    expect(slotValue(slot)).toBe(expected);
  });

  test('GIVEN an anchored jsRegex WHEN used to validate and to mask THEN both work', () => {
    const pattern = patternOf(anchoredModel, 'OrderNumber')!;
    expect(pattern.test('AB12345')).toBe(true);
    expect(pattern.test('12')).toBe(false);

    const masked = maskTerms('pedido AB12345 y 987654', protectedPatterns(anchoredModel));

    expect(masked.terms).toEqual(['AB12345', '987654']);
    expect(masked.text).not.toMatch(/\d{5}/);
    expect(restoreTerms(masked.text.toUpperCase(), masked.terms)).toBe('PEDIDO AB12345 Y 987654');
  });

  test('GIVEN a translation that dropped a placeholder WHEN restored THEN undefined', () => {
    const masked = maskTerms('order 123456', protectedPatterns(anchoredModel));
    expect(restoreTerms('commande', masked.terms)).toBeUndefined();
  });

  test('GIVEN a template WHEN filled by fillTemplate THEN slots are substituted and unknown placeholders dropped', () => {
    expect(fillTemplate('Order {OrderNumber} {Missing} ok', { OrderNumber: 'AB12345' })).toBe(
      'Order AB12345 ok',
    );
  });

  test.each([
    [['NEGATIVE', 'NEGATIVE'], true],
    [['NEGATIVE', 'NEUTRAL', 'NEGATIVE'], true],
    [['NEGATIVE', 'NEGATIVE', 'NEUTRAL'], false],
    [['NEGATIVE', 'NEUTRAL', 'NEUTRAL', 'NEGATIVE'], false],
    [['NEGATIVE'], false],
  ] as const)('GIVEN the sentiment trend %j WHEN checked THEN negativeStreak is %s', (trend, expected) => {
    expect(negativeStreak(trend)).toBe(expected);
  });
});

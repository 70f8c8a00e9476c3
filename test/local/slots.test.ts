import { placeholderOf, SlotExtractor } from '../../local/nlu/slots';
import { MINI_MODEL } from './mini-model';

const slots = new SlotExtractor(MINI_MODEL, ['en_US', 'es_US']);
const checkOrder = MINI_MODEL.intents.find((i) => i.name === 'CheckOrderStatus')!;

describe('GIVEN the SlotExtractor', () => {
  test.each([
    ['I want a new notebook', 'en_US', 'notebook', 'laptop'],
    ['do you sell LAPTOPS?', 'en_US', 'LAPTOPS', 'laptop'],
    ['my mobile phone broke', 'en_US', 'mobile phone', 'phone'],
    ['busco un celular barato', 'es_US', 'celular', 'teléfono'],
    ['el ordenador portatil', 'es_US', 'ordenador portatil', 'portátil'],
    ['quiero un movil', 'es_US', 'movil', 'teléfono'],
  ])('WHEN "%s" (%s) THEN the enumeration %s resolves to %s', (text, locale, original, resolved) => {
    const value = slots.extractValue(text, 'ProductTypeType', locale as 'en_US');
    expect(value).toEqual({
      originalValue: original,
      interpretedValue: resolved,
      resolvedValues: [resolved],
    });
  });

  test('WHEN synonyms overlap THEN the longest wins ("mobile phone" over "phone")', () => {
    expect(slots.extractValue('mobile phone please', 'ProductTypeType', 'en_US')?.originalValue).toBe(
      'mobile phone',
    );
  });

  test('WHEN there is no value THEN undefined, and words inside other words do not match', () => {
    expect(slots.extractValue('telephoned yesterday', 'ProductTypeType', 'en_US')).toBeUndefined();
    expect(slots.extractValue('hello', 'ProductTypeType', 'en_US')).toBeUndefined();
  });

  test('WHEN a pattern slot is extracted THEN the model regex, as a whole token, case-insensitive', () => {
    expect(slots.extractValue('status of ord-48213?', 'OrderNumberType', 'en_US')?.originalValue).toBe(
      'ord-48213',
    );
    expect(slots.extractValue('XORD-48213', 'OrderNumberType', 'en_US')).toBeUndefined();
    expect(slots.extractValue('ORD-482', 'OrderNumberType', 'en_US')).toBeUndefined();
  });

  test('WHEN extractForIntent is called THEN it fills only that intent’s slots', () => {
    expect(Object.keys(slots.extractForIntent('ORD-12345 for my phone', checkOrder, 'en_US'))).toEqual([
      'OrderNumber',
    ]);
  });

  test('WHEN masking THEN values are replaced by their type placeholder', () => {
    expect(slots.maskSlotValues('is ORD-12345 my laptop order', 'en_US')).toBe(
      `is ${placeholderOf('OrderNumberType')} my ${placeholderOf('ProductTypeType')} order`,
    );
  });
});

/**
 * One definition of a character (src/util/characters.ts): a Unicode code point, as Lex counts
 * RecognizeText's `text`; the web chat mirrors it (web/characters.ts, checked here too).
 */
import fc from 'fast-check';
import { characterCount, MAX_TEXT_CHARACTERS, truncateCharacters } from '../../../src/util/characters';
import {
  characterCount as webCharacterCount,
  MAX_CHARACTERS as WEB_MAX_CHARACTERS,
} from '../../../web/characters';

/** Strings rich in what tells the definitions apart: pairs, lone halves, BMP letters. */
const tricky = fc
  .array(fc.constantFrom('a', 'ñ', '😀', '\ud83d', '\ude00', '👍🏽', ' '), { maxLength: 60 })
  .map((parts) => parts.join(''));

describe('characterCount', () => {
  test.each([
    ['', 0],
    ['hello', 5],
    ['ñandú', 5],
    ['😀', 1],
    ['a'.repeat(1023) + '😀', 1024],
    ['👍🏽', 2], // an emoji and its skin-tone modifier: two code points
    ['\ud83d', 1], // a lone surrogate counts once
    ['\ude00a', 2],
  ])('GIVEN %j WHEN counted THEN it has %i characters', (text, count) => {
    expect(characterCount(text)).toBe(count);
  });

  test('GIVEN any string WHEN counted THEN the count agrees with iterating the string by code point', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), tricky, (a, b) => {
        expect(characterCount(a)).toBe([...a].length);
        expect(characterCount(b)).toBe([...b].length);
      }),
    );
  });

  test('GIVEN MAX_TEXT_CHARACTERS WHEN read THEN the limit is Lex’s: 1,024', () => {
    expect(MAX_TEXT_CHARACTERS).toBe(1024);
  });
});

describe('truncateCharacters', () => {
  test('GIVEN any string and `max` WHEN truncated THEN it keeps at most `max` characters and never half of a surrogate pair', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), tricky), fc.nat(40), (text, max) => {
        const cut = truncateCharacters(text, max);
        expect(cut).toBe([...text].slice(0, max).join(''));
      }),
    );
  });
});

describe('the web chat counts the same way', () => {
  test('GIVEN web/characters.ts characterCount WHEN it counts any string THEN it agrees with src/util/characters.ts', () => {
    expect(WEB_MAX_CHARACTERS).toBe(MAX_TEXT_CHARACTERS);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), tricky), (text) => {
        expect(webCharacterCount(text)).toBe(characterCount(text));
      }),
    );
  });
});

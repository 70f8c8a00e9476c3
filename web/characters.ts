/**
 * What "a character" is, as the channel and Lex count it: one Unicode code point (an emoji is
 * one, not the two UTF-16 units of `length`). Mirrors src/util/characters.ts, which the browser
 * code does not import (test/src/util/characters.test.ts checks they agree).
 */

/** The longest message the channel accepts, in characters. */
export const MAX_CHARACTERS = 1024;

/** Code points of `text` (a lone surrogate counts as one, as the string iterator yields it). */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

/**
 * What "a character" is wherever the platform limits text: one Unicode code point, as Lex V2
 * counts its RecognizeText `text` (1 to 1,024). The Lex runtime API model declares `text` as the
 * shape `com.amazonaws.lexruntimev2#Text`, a string with `@length(min: 1, max: 1024)`, and a
 * Smithy `@length` on a string constrains "the number of Unicode scalar values"
 * (smithy.io/2.0/spec/constraint-traits.html#length-trait). So an emoji outside the Basic
 * Multilingual Plane is one character, not the two UTF-16 code units of JavaScript's `length`.
 *
 * The channel (src/channel/request.ts), the local Lex stand-in (local/lex/validate.ts) and the
 * stored transcript use these; the web chat page (local/web/app.js) mirrors them.
 */

/** Lex V2 RecognizeText accepts at most 1,024 characters of text. */
export const MAX_TEXT_CHARACTERS = 1024;

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * The number of characters (code points) of `text`: a surrogate pair counts once, a lone
 * surrogate once (as `[...text].length` does), without building an array.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    count++;
  }
  return count;
}

/** The first `max` characters of `text`, never splitting a surrogate pair. */
export function truncateCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  let count = 0;
  let i = 0;
  while (i < text.length && count < max) {
    i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
    count++;
  }
  return text.slice(0, i);
}

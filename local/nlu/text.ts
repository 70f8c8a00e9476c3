/**
 * Text helpers shared by the local NLU's classifier and slot extractor.
 */

/** Lower case, accents stripped (é -> e, ñ -> n), punctuation to spaces, single spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Normalized words of a text, each with the span [start, end) it came from in the ORIGINAL
 * text, so a match on normalized words can report what the user actually typed.
 */
export interface Token {
  readonly norm: string;
  readonly start: number;
  readonly end: number;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /[\p{L}\p{N}]+/gu;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const norm = normalize(m[0]);
    if (norm) tokens.push({ norm, start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

/** Simple plural variants of a word, for matching "laptops" against the value "laptop" (en, es). */
export function singularForms(word: string): string[] {
  const forms = [word];
  if (word.length > 3 && word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.length > 2 && word.endsWith('s')) forms.push(word.slice(0, -1));
  return forms;
}

/**
 * Terms that must survive machine translation unchanged (order numbers): masked with opaque
 * placeholders before Translate, restored after. If a placeholder does not come back intact,
 * the caller keeps the untranslated text rather than lose or alter the term.
 */

export interface Masked {
  readonly text: string;
  readonly terms: readonly string[];
}

const token = (i: number): string => `PTRM${i}X`;

export function maskTerms(text: string, patterns: readonly RegExp[]): Masked {
  const terms: string[] = [];
  let masked = text;
  for (const pattern of patterns) {
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
    );
    masked = masked.replace(global, (match) => {
      if (match.length === 0 || /^PTRM\d+X$/.test(match)) return match;
      terms.push(match);
      return token(terms.length - 1);
    });
  }
  return { text: masked, terms };
}

/** Restores the terms; undefined when a placeholder was lost or mangled by translation. */
export function restoreTerms(translated: string, terms: readonly string[]): string | undefined {
  let out = translated;
  for (let i = 0; i < terms.length; i += 1) {
    const t = token(i);
    if (!out.includes(t)) return undefined;
    out = out.split(t).join(terms[i]);
  }
  return out;
}

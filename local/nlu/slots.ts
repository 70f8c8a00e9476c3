/**
 * Slot extraction for the local Lex stand-in, generated from the bot model's slot types:
 * - enumerations: every value and synonym of the locale, matched as whole words on normalized
 *   text (case and accents ignored, simple plurals accepted), longest match first; the
 *   resolved value is the enumeration value (Lex's TOP_RESOLUTION strategy);
 * - patterns (AMAZON.AlphaNumeric + regex): the model's `jsRegex`, searched as a whole token.
 */
import type {
  BotModel,
  IntentDefinition,
  LocaleId,
  SlotTypeDefinition,
} from '../../contracts/bot-model/types';
import { normalize, singularForms, tokenize, type Token } from './text';

/** A slot value as Lex V2 reports it (`slots.X.value`). */
export interface ExtractedSlotValue {
  readonly originalValue: string;
  readonly interpretedValue: string;
  readonly resolvedValues: readonly string[];
}

interface EnumEntry {
  /** Normalized words of the value or synonym. */
  readonly words: readonly string[];
  readonly value: string;
}

interface CompiledEnum {
  readonly kind: 'enumeration';
  /** Longest phrases first. */
  readonly entries: readonly EnumEntry[];
}

interface CompiledPattern {
  readonly kind: 'pattern';
  readonly regex: RegExp;
}

type CompiledSlotType = CompiledEnum | CompiledPattern;

/** Strips anchors from a regex source so it can be searched inside a sentence. */
function unanchored(source: string): string {
  let s = source;
  if (s.startsWith('^')) s = s.slice(1);
  if (s.endsWith('$') && !s.endsWith('\\$')) s = s.slice(0, -1);
  return s;
}

export class SlotExtractor {
  private readonly types = new Map<string, Map<LocaleId, CompiledSlotType>>();

  constructor(
    private readonly model: BotModel,
    locales: readonly LocaleId[],
  ) {
    for (const type of model.slotTypes) {
      const perLocale = new Map<LocaleId, CompiledSlotType>();
      for (const locale of locales) perLocale.set(locale, compile(type, locale));
      this.types.set(type.name, perLocale);
    }
  }

  /** The slot type's compiled matcher for a locale. */
  private typeOf(slotTypeName: string, locale: LocaleId): CompiledSlotType {
    const t = this.types.get(slotTypeName)?.get(locale);
    if (!t) throw new Error(`slot type ${slotTypeName} is not defined for ${locale}`);
    return t;
  }

  /** Finds a value of the slot type in the text, or undefined. */
  extractValue(text: string, slotTypeName: string, locale: LocaleId): ExtractedSlotValue | undefined {
    return this.find(text, this.typeOf(slotTypeName, locale))?.value;
  }

  /**
   * Values of the intent's slots found in the text. A span of text fills one slot at most
   * (slots in priority order; the elicited slot, when given, goes first).
   */
  extractForIntent(
    text: string,
    intent: IntentDefinition,
    locale: LocaleId,
    elicitedSlot?: string,
  ): Record<string, ExtractedSlotValue> {
    const ordered = [...intent.slots].sort(
      (a, b) => Number(b.name === elicitedSlot) - Number(a.name === elicitedSlot),
    );
    const found: Record<string, ExtractedSlotValue> = {};
    let remaining = text;
    for (const slot of ordered) {
      const hit = this.find(remaining, this.typeOf(slot.slotType, locale));
      if (!hit) continue;
      found[slot.name] = hit.value;
      // blank out the span so another slot cannot take the same words
      remaining = remaining.slice(0, hit.start) + ' '.repeat(hit.end - hit.start) + remaining.slice(hit.end);
    }
    return found;
  }

  /**
   * Replaces every slot value found in the text by a placeholder word for its slot type (e.g.
   * "where is ORD-12345" -> "where is slotordernumber"), the same form the classifier is
   * trained on.
   */
  maskSlotValues(text: string, locale: LocaleId): string {
    let masked = text;
    for (const type of this.model.slotTypes) {
      for (;;) {
        const hit = this.find(masked, this.typeOf(type.name, locale));
        if (!hit) break;
        masked = `${masked.slice(0, hit.start)} ${placeholderOf(type.name)} ${masked.slice(hit.end)}`;
      }
    }
    return masked.replace(/\s+/g, ' ').trim();
  }

  private find(
    text: string,
    type: CompiledSlotType,
  ): { value: ExtractedSlotValue; start: number; end: number } | undefined {
    if (type.kind === 'pattern') {
      type.regex.lastIndex = 0;
      const m = type.regex.exec(text);
      if (!m) return undefined;
      const raw = m[1] ?? m[0];
      const start = m.index + m[0].indexOf(raw);
      return {
        value: { originalValue: raw, interpretedValue: raw, resolvedValues: [raw] },
        start,
        end: start + raw.length,
      };
    }
    const tokens = tokenize(text);
    let best: { entry: EnumEntry; from: number; to: number } | undefined;
    for (const entry of type.entries) {
      const at = findPhrase(tokens, entry.words);
      if (at !== undefined && (!best || entry.words.length > best.entry.words.length)) {
        best = { entry, from: at, to: at + entry.words.length - 1 };
      }
    }
    if (!best) return undefined;
    const start = tokens[best.from]!.start;
    const end = tokens[best.to]!.end;
    return {
      value: {
        originalValue: text.slice(start, end),
        interpretedValue: best.entry.value,
        resolvedValues: [best.entry.value],
      },
      start,
      end,
    };
  }
}

/** The placeholder word a slot type's values are replaced by before classification. */
export function placeholderOf(slotTypeName: string): string {
  return `slot${slotTypeName.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

function compile(type: SlotTypeDefinition, locale: LocaleId): CompiledSlotType {
  if (type.kind === 'pattern') {
    // a whole token: not preceded or followed by a letter/digit
    return {
      kind: 'pattern',
      regex: new RegExp(`(?<![\\p{L}\\p{N}])(${unanchored(type.jsRegex)})(?![\\p{L}\\p{N}])`, 'iu'),
    };
  }
  const entries: EnumEntry[] = [];
  for (const v of type.values[locale]) {
    for (const phrase of [v.value, ...v.synonyms]) {
      const words = normalize(phrase).split(' ').filter(Boolean);
      if (words.length) entries.push({ words, value: v.value });
    }
  }
  entries.sort((a, b) => b.words.length - a.words.length);
  return { kind: 'enumeration', entries };
}

/** Index of the first token where the phrase starts (last word may be plural), or undefined. */
function findPhrase(tokens: readonly Token[], words: readonly string[]): number | undefined {
  outer: for (let i = 0; i + words.length <= tokens.length; i += 1) {
    for (let j = 0; j < words.length; j += 1) {
      const token = tokens[i + j]!.norm;
      const ok = token === words[j] || (j === words.length - 1 && singularForms(token).includes(words[j]!));
      if (!ok) continue outer;
    }
    return i;
  }
  return undefined;
}

/**
 * Quick replies for slot elicitation: the Lex V2 `ImageResponseCard` whose buttons are an
 * enumeration slot's values in a locale. ONE function, used by the Lex generator (the slot
 * prompt's card, lib/constructs/lex-bot-model.ts), the fulfillment's ElicitSlot answer (a code
 * hook's messages replace the prompt, so it sends the same card) and the local Lex stand-in
 * (local/lex), so Lex and `npm start` offer identical buttons; the channel passes them on as
 * `quickReplies` (contracts/conversation-api.ts).
 *
 * Lex's limits (ImageResponseCard, Button): title 1-250 characters, at most 5 buttons, button
 * text and value 1-50 characters each. A slot type with more than 5 values, or a value that does
 * not fit, gets no card (never a cut-down list or a truncated value that would not resolve).
 */
import type { BotModel, LocaleId, Localized, SlotDefinition, SlotTypeValue } from './types';

export interface ResponseCardButton {
  /** What the button shows (the value's label in the locale). */
  readonly text: string;
  /** What the button sends as the customer's next message: a name of the value that resolves to it. */
  readonly value: string;
}

export interface ResponseCard {
  readonly title: string;
  readonly buttons: readonly ResponseCardButton[];
}

export const CARD_LIMITS = { title: 250, buttons: 5, text: 50, value: 50 } as const;

/** The card's title per locale (Lex requires one; the web chat shows the prompt above the buttons). */
export const CARD_TITLE: Localized = { en_US: 'Choose one', es_US: 'Elige una opción' };

const fold = (s: string): string => s.toLocaleLowerCase('und');
const capitalized = (s: string): string => s.charAt(0).toLocaleUpperCase('und') + s.slice(1);

/**
 * What a button sends for a value: its label when the label resolves to it (the label is the
 * value or one of its synonyms), else its first synonym in a locale that labels it (a name in the
 * customer's language), else the value itself.
 */
function sentValue(v: SlotTypeValue): string {
  if (v.label === undefined) return v.value;
  const resolves = fold(v.label) === fold(v.value) || v.synonyms.some((s) => fold(s) === fold(v.label!));
  return resolves ? v.label : (v.synonyms[0] ?? v.value);
}

/** The quick-reply card for eliciting `slot` in `locale`, or undefined when its type offers no choices. */
export function slotElicitationCard(
  model: BotModel,
  slot: Pick<SlotDefinition, 'slotType'>,
  locale: LocaleId,
): ResponseCard | undefined {
  const type = model.slotTypes.find((t) => t.name === slot.slotType);
  if (type?.kind !== 'enumeration') return undefined;
  const values = type.values[locale];
  if (values.length === 0 || values.length > CARD_LIMITS.buttons) return undefined;
  const buttons = values.map((v) => ({ text: capitalized(v.label ?? v.value), value: sentValue(v) }));
  const fits = buttons.every(
    (b) =>
      b.text.length >= 1 &&
      b.text.length <= CARD_LIMITS.text &&
      b.value.length >= 1 &&
      b.value.length <= CARD_LIMITS.value,
  );
  return fits ? { title: CARD_TITLE[locale], buttons } : undefined;
}

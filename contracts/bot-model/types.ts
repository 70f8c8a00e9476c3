/**
 * The bot model: ONE typed definition of the bot. The Lex V2 `CfnBot` (lib/stacks/bot-stack.ts)
 * and the local NLU stand-in (local/) are both generated from it; the fulfillment handler
 * answers from its responses and prompts.
 */

import type { OrderMessages } from './order-messages';

/**
 * The bot's locales: the one list every runtime check, schema and per-locale table derives from
 * (`Localized<T>` makes the model, and any `Record<LocaleId, …>`, fail type-check when a locale is
 * added here and not there).
 */
export const LOCALES = ['en_US', 'es_US'] as const;
export type LocaleId = (typeof LOCALES)[number];

/** Whether a value is one of the bot's locales. */
export const isLocaleId = (value: unknown): value is LocaleId =>
  typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** A text per bot locale. */
export type Localized<T = string> = Readonly<Record<LocaleId, T>>;

/** A value per bot locale, computed for each of LOCALES. */
export const localized = <T>(of: (locale: LocaleId) => T): Localized<T> =>
  Object.fromEntries(LOCALES.map((locale) => [locale, of(locale)])) as Record<LocaleId, T>;

export interface SlotTypeValue {
  /** The resolved value (what the handler sees in `slots.X.value.resolvedValues`). */
  readonly value: string;
  readonly synonyms: readonly string[];
  /**
   * How answers in this locale name the value (e.g. 'teléfonos' for `phone` in es_US), so a
   * Spanish answer never shows the canonical English value.
   * @default value
   */
  readonly label?: string;
}

/** An enumeration: values with synonyms, per locale (resolved values may differ by language). */
export interface EnumerationSlotType {
  readonly kind: 'enumeration';
  readonly name: string;
  readonly description: string;
  readonly values: Localized<readonly SlotTypeValue[]>;
}

/** A pattern slot type built on AMAZON.AlphaNumeric restricted by a regular expression. */
export interface PatternSlotType {
  readonly kind: 'pattern';
  readonly name: string;
  readonly description: string;
  /** Lex V2 `valueRegexFilter` pattern (Lex's regex subset, no anchors). */
  readonly regex: string;
  /** The same pattern as a JavaScript RegExp source, for validation and local extraction. */
  readonly jsRegex: string;
}

export type SlotTypeDefinition = EnumerationSlotType | PatternSlotType;

export interface SlotDefinition {
  readonly name: string;
  /** Name of a slot type of the model. */
  readonly slotType: string;
  readonly required: boolean;
  /** Elicitation prompt. */
  readonly prompt: Localized;
  /** Re-elicitation prompt when the handler rejects the value (e.g. bad order number). */
  readonly invalidPrompt: Localized;
}

export interface IntentDefinition {
  readonly name: string;
  readonly description: string;
  /** Set for the fallback intent only. */
  readonly parentIntentSignature?: 'AMAZON.FallbackIntent';
  /** Slots, in priority order (Lex `slotPriorities`). */
  readonly slots: readonly SlotDefinition[];
  /** Sample utterances; `{SlotName}` references a slot of this intent. Empty for the fallback. */
  readonly utterances: Localized<readonly string[]>;
  /**
   * Closing responses; `{SlotName}` is replaced by the slot's value. The handler picks one.
   */
  readonly responses: Localized<readonly string[]>;
  /** Lex calls the code hook on every dialog turn (slot validation). */
  readonly dialogCodeHook: boolean;
  /** Lex calls the code hook to fulfill. */
  readonly fulfillmentCodeHook: boolean;
  /** Fulfilling this intent hands the conversation to a human agent. */
  readonly escalates?: boolean;
  /**
   * Its fixed responses answer only what its sample utterances ask: a question of this intent
   * that no utterance covers (e.g. "how long does the tablet battery last") is answered from the
   * knowledge base instead (src/fulfillment/turn/knowledge.ts). The fallback intent always is.
   */
  readonly knowledgeBeyondUtterances?: boolean;
  /**
   * Fulfilling this intent registers a ticket (an issue report or a hand-off to a person). Its
   * responses are said only once the ticket request is on the queue, and may use the
   * TICKET_PLACEHOLDERS; when it could not be registered, `messages.ticketUnavailable` is said
   * instead. `categorySlot` names the slot whose value is the ticket's category.
   */
  readonly ticket?: { readonly kind: 'issue' | 'handoff'; readonly categorySlot?: string };
  /**
   * Fulfilling this intent answers from the order source (src/fulfillment/turn/order.ts): the
   * named slot holds the order number, and the answer is `messages.orders` for what the source
   * said (found with its status, not found, or unavailable). Its `responses` are said only when
   * no lookup could be made.
   */
  readonly orderLookup?: { readonly slot: string };
}

/**
 * Placeholders a ticket intent's responses and the ticket system messages may use, filled at run
 * time: the ticket's reference and the support desk as config describes it
 * (contracts/tickets.ts `SupportDeskSettings`).
 */
export const TICKET_PLACEHOLDERS = [
  'TicketReference',
  'SupportHours',
  'FirstResponseHours',
  'SupportContact',
] as const;
export type TicketPlaceholder = (typeof TICKET_PLACEHOLDERS)[number];

export interface LocaleDefinition {
  readonly description: string;
  /** Polly voice for the locale's speech (neural engine), e.g. Joanna / Lupe. */
  readonly voiceId: string;
  /** ISO 639-1 language of the locale (what Comprehend/Translate call it). */
  readonly languageCode: string;
}

/** Texts the handler itself says, outside any one intent. */
export interface SystemMessages {
  /**
   * Repeated negative sentiment: the conversation is handed over, as a ticket; said once the
   * ticket request is on the queue (may use the TICKET_PLACEHOLDERS).
   */
  readonly escalation: Localized;
  /** A ticket turn whose request could not be registered: says so and to try again; never a reference. */
  readonly ticketUnavailable: Localized;
  /**
   * Said after `ticketUnavailable` when config names a support contact (e-mail/phone): uses
   * `{SupportContact}` (and may use `{SupportHours}`).
   */
  readonly supportContact: Localized;
  /** Something went wrong but the user must still get an answer. */
  readonly sorry: Localized;
  /** Knowledge turns: questions no intent covers, answered from the company's documents. */
  readonly knowledge: KnowledgeMessages;
  /** What the bot says about an order: only what the order source said. */
  readonly orders: OrderMessages;
}

/** What the handler says on a knowledge turn when it has no answer from the documents to give. */
export interface KnowledgeMessages {
  /** No grounded answer: an honest "I don't know that one" (the hand-over card follows). */
  readonly noAnswer: Localized;
  /** The knowledge base was throttled, timed out or failed (the hand-over card follows). */
  readonly unavailable: Localized;
  /** A guardrail blocked the question or the answer: polite and fixed, never the blocked text. */
  readonly blocked: Localized;
  /**
   * The hand-over offer (a Lex ImageResponseCard): its title and its one button's text; the
   * button sends the first utterance of the escalating intent in the locale.
   */
  readonly handOverTitle: Localized;
  readonly handOverButton: Localized;
}

export interface BotModel {
  readonly name: string;
  readonly description: string;
  readonly locales: Localized<LocaleDefinition>;
  readonly slotTypes: readonly SlotTypeDefinition[];
  readonly intents: readonly IntentDefinition[];
  readonly messages: SystemMessages;
}

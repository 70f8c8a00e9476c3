/**
 * The conversation decisions of one turn, pure (no I/O): which slot to elicit, which answer to
 * give, when to hand over to an agent. Answers and prompts come from the bot model.
 */
import {
  type BotModel,
  type IntentDefinition,
  type LocaleId,
  type PatternSlotType,
  TICKET_PLACEHOLDERS,
} from '../../contracts/bot-model/types';
import { type ResponseCard, slotElicitationCard } from '../../contracts/bot-model/quick-replies';
import type { TicketKind } from '../../contracts/tickets';
import type { SentimentLabel } from '../ports';
import type { LexIntent, LexMessage, LexSlot, LexSlots, LexV2CodeHookResponse } from '../lex/types';

export const FALLBACK_INTENT = 'FallbackIntent';

/** Escalate when at least this many of the last `ESCALATION_WINDOW` turns were NEGATIVE. */
export const ESCALATION_NEGATIVE_TURNS = 2;
export const ESCALATION_WINDOW = 3;
/** Sentiments kept in the session's trend. */
export const SENTIMENT_TREND_LENGTH = 5;

/** The value of a slot as the handler reads it (List slots: values joined by ', '). */
export function slotValue(slot: LexSlot | null | undefined): string | undefined {
  if (!slot) return undefined;
  if (slot.shape === 'List' && slot.values?.length) {
    const parts = slot.values.map(slotValue).filter((v): v is string => !!v);
    return parts.length ? parts.join(', ') : undefined;
  }
  const v = slot.value;
  if (!v) return undefined;
  const resolved = v.resolvedValues?.[0];
  const value = resolved ?? v.interpretedValue ?? v.originalValue;
  return value && value.trim() ? value.trim() : undefined;
}

/** Flat name -> value map of the filled slots. */
export function slotValues(slots: LexSlots | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!slots) return out;
  for (const [name, slot] of Object.entries(slots)) {
    const v = slotValue(slot);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The pattern without the anchors a model may have put around it. */
const unanchored = (source: string): string => source.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');

export function patternOf(model: BotModel, slotTypeName: string): RegExp | undefined {
  const type = model.slotTypes.find((t) => t.name === slotTypeName);
  if (!type || type.kind !== 'pattern') return undefined;
  return new RegExp(`^(?:${unanchored((type as PatternSlotType).jsRegex)})$`, 'i');
}

/** Patterns of terms never to translate (every pattern slot type of the model). */
export function protectedPatterns(model: BotModel): RegExp[] {
  return model.slotTypes
    .filter((t): t is PatternSlotType => t.kind === 'pattern')
    .map((t) => new RegExp(`(?<![A-Za-z0-9])(?:${unanchored(t.jsRegex)})(?![A-Za-z0-9])`, 'gi'));
}

/**
 * `{SlotName}` -> the slot's value; unknown or empty placeholders are left out, except those in
 * `keep` (the ticket placeholders, filled once the ticket is registered: turn/ticket.ts).
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  keep: readonly string[] = [],
): string {
  return template
    .replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
      keep.includes(name) && values[name] === undefined ? whole : (values[name] ?? ''),
    )
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/**
 * The slot values as this locale's answers name them: an enumeration value is shown by its
 * localized label (`phone` -> 'teléfonos' in es_US); other values are shown as given.
 */
export function displayValues(
  model: BotModel,
  intent: IntentDefinition,
  locale: LocaleId,
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = { ...values };
  for (const slot of intent.slots) {
    const value = values[slot.name];
    const type = model.slotTypes.find((t) => t.name === slot.slotType);
    if (value === undefined || type?.kind !== 'enumeration') continue;
    const entry = type.values[locale].find((v) => v.value.toLowerCase() === value.toLowerCase());
    if (entry?.label) out[slot.name] = entry.label;
  }
  return out;
}

/** A deterministic pick (tests are reproducible; the answer still varies turn to turn). */
export function pick<T>(items: readonly T[], seed: number): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.abs(Math.trunc(seed)) % items.length];
}

export function nextSentimentTrend(
  trend: readonly SentimentLabel[],
  current: SentimentLabel | undefined,
): SentimentLabel[] {
  return current ? [...trend, current].slice(-SENTIMENT_TREND_LENGTH) : [...trend];
}

/** True when the latest turns show repeated negative sentiment. */
export function negativeStreak(trend: readonly SentimentLabel[]): boolean {
  const recent = trend.slice(-ESCALATION_WINDOW);
  return (
    recent.at(-1) === 'NEGATIVE' && recent.filter((s) => s === 'NEGATIVE').length >= ESCALATION_NEGATIVE_TURNS
  );
}

export interface TurnDecision {
  readonly response: LexV2CodeHookResponse;
  /** The answer in the locale's language (before any translation back). */
  readonly messages: LexMessage[];
  readonly intentName: string;
  readonly fallback: boolean;
  readonly escalate: boolean;
  readonly slots: Record<string, string>;
  /** Slot the handler rejected (to count and log), if any. */
  readonly invalidSlot?: string;
  /**
   * The turn registers a ticket (a ticket intent fulfilled, or a sentiment hand-off): its
   * messages keep the ticket placeholders until the request is on the queue (turn/ticket.ts).
   */
  readonly ticket?: TicketNeed;
  /**
   * The elicited slot's quick replies (an enumeration's values): sent after the messages, as the
   * slot's prompt in the generated bot would (a code hook's messages replace that prompt).
   */
  readonly card?: ResponseCard;
}

/** What ticket a turn asks for: its kind and its category (a slot value, or 'agent' for a hand-off). */
export interface TicketNeed {
  readonly kind: TicketKind;
  readonly category: string;
}

/** Whether a message still has a ticket placeholder to fill. */
export const hasTicketPlaceholder = (content: string): boolean =>
  TICKET_PLACEHOLDERS.some((name) => content.includes(`{${name}}`));

export interface DecideInput {
  readonly model: BotModel;
  readonly locale: LocaleId;
  readonly invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook';
  readonly intent: LexIntent;
  readonly turn: number;
  /** Repeated negative sentiment and not escalated yet. */
  readonly sentimentEscalation: boolean;
  readonly alreadyEscalated: boolean;
}

const text = (content: string): LexMessage => ({ contentType: 'PlainText', content });

/** What `decide` returns: the decision, the Lex dialog action and the slots as Lex gets them back. */
export type Decision = Omit<TurnDecision, 'response'> & {
  dialogAction: 'Close' | 'ElicitSlot';
  slotToElicit?: string;
  state: 'Fulfilled' | 'Failed' | 'InProgress';
  lexSlots: LexSlots;
};

/**
 * Decides the turn. Dialog hook: validate the slots in priority order; an invalid value is
 * cleared and elicited again with the slot's localized `invalidPrompt`, a missing required
 * slot is elicited with its `prompt`; with every required slot valid the turn is fulfilled
 * right away (Close), so one user utterance costs one Lambda invocation. Fulfillment hook:
 * answer from the intent's responses. Sessions always end the turn with a message.
 */
export function decide(input: DecideInput): Decision {
  const { model, locale, intent } = input;
  const def: IntentDefinition | undefined = model.intents.find((i) => i.name === intent.name);
  const values = slotValues(intent.slots);
  const lexSlots: LexSlots = { ...(intent.slots ?? {}) };
  if (!def) {
    return {
      dialogAction: 'Close',
      state: 'Failed',
      messages: [text(model.messages.sorry[locale])],
      intentName: intent.name,
      fallback: true,
      escalate: false,
      slots: values,
      lexSlots,
    };
  }
  return elicitSlot(input, def, values, lexSlots) ?? fulfil(input, def, values, lexSlots);
}

const isFallback = (def: IntentDefinition): boolean =>
  def.parentIntentSignature === 'AMAZON.FallbackIntent' || def.name === FALLBACK_INTENT;

/**
 * The first slot (in priority order) to elicit: an invalid value (cleared from `values` and
 * `lexSlots`, asked again with the `invalidPrompt`) or a missing required one.
 */
function elicitSlot(
  input: DecideInput,
  def: IntentDefinition,
  values: Record<string, string>,
  lexSlots: LexSlots,
): Decision | undefined {
  const { model, locale } = input;
  const elicit = (slotToElicit: string, messages: LexMessage[], escalate: boolean) => ({
    dialogAction: 'ElicitSlot' as const,
    slotToElicit,
    card: slotElicitationCard(
      model,
      def.slots.find((s) => s.name === slotToElicit)!,
      locale,
    ),
    state: 'InProgress' as const,
    messages,
    intentName: def.name,
    fallback: isFallback(def),
    escalate,
    slots: values,
    lexSlots,
  });
  for (const slot of def.slots) {
    const value = values[slot.name];
    if (value !== undefined) {
      const pattern = patternOf(model, slot.slotType);
      if (pattern && !pattern.test(value)) {
        delete values[slot.name];
        lexSlots[slot.name] = null;
        return { ...elicit(slot.name, [text(slot.invalidPrompt[locale])], false), invalidSlot: slot.name };
      }
    } else if (slot.required) {
      // A user who keeps failing and is negative is handed over rather than asked again.
      const escalate = input.sentimentEscalation;
      const prompt = text(slot.prompt[locale]);
      const decision = elicit(
        slot.name,
        escalate ? [prompt, text(model.messages.escalation[locale])] : [prompt],
        escalate,
      );
      return escalate ? { ...decision, ticket: HANDOFF } : decision;
    }
  }
  return undefined;
}

/** Every required slot is valid: the intent's answer (and the hand-over message when escalating). */
function fulfil(
  input: DecideInput,
  def: IntentDefinition,
  values: Record<string, string>,
  lexSlots: LexSlots,
): Decision {
  const { model, locale, turn } = input;
  const template = pick(def.responses[locale], turn) ?? model.messages.sorry[locale];
  const keep = def.ticket ? TICKET_PLACEHOLDERS : [];
  const messages = [
    text(
      fillTemplate(template, displayValues(model, def, locale, values), keep) || model.messages.sorry[locale],
    ),
  ];
  const escalate = (def.escalates === true && !input.alreadyEscalated) || input.sentimentEscalation;
  if (input.sentimentEscalation && def.escalates !== true)
    messages.push(text(model.messages.escalation[locale]));
  const ticket = ticketNeedOf(def, values, input.sentimentEscalation);
  return {
    ...(ticket ? { ticket } : {}),
    dialogAction: 'Close',
    state: 'Fulfilled',
    messages,
    intentName: def.name,
    fallback: isFallback(def),
    escalate,
    slots: values,
    lexSlots,
  };
}

const HANDOFF: TicketNeed = { kind: 'handoff', category: 'agent' };

/** The ticket a fulfilled intent asks for: its own (issue or hand-off), or a sentiment hand-off. */
function ticketNeedOf(
  def: IntentDefinition,
  values: Readonly<Record<string, string>>,
  sentimentEscalation: boolean,
): TicketNeed | undefined {
  if (def.ticket) {
    const category = def.ticket.categorySlot ? values[def.ticket.categorySlot] : undefined;
    return {
      kind: def.ticket.kind,
      category: category ?? (def.ticket.kind === 'handoff' ? 'agent' : 'other'),
    };
  }
  return sentimentEscalation ? HANDOFF : undefined;
}

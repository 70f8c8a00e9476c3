/**
 * Realistic conversations for the load test, generated from the bot model (contracts/bot-model): the
 * same utterances, slot values and locales the bot is built from, so every intent is exercised in
 * both languages, slots are filled across turns, and a share of turns is fallback or hostile input.
 * Pure (the random source is injected) so tests can pin it.
 */
import { BOT_MODEL } from '../contracts/bot-model';
import type { BotModel, EnumerationSlotType, IntentDefinition, LocaleId } from '../contracts/bot-model/types';

export type Random = () => number;

/** What the client expects back from one turn. */
export type TurnExpectation =
  /** 200 with an answer; `intent` when the script knows which intent the bot should pick. */
  | { readonly status: 200; readonly intent?: string; readonly slot?: string; readonly fallback?: boolean }
  /** The API must refuse the input with this class of status (400, or 413 for an oversized body). */
  | { readonly status: 400; readonly codes: readonly number[] };

export interface Turn {
  /** The request body as sent (a string for deliberately malformed JSON). */
  readonly body: Record<string, unknown> | string;
  readonly expect: TurnExpectation;
  /** What kind of turn: for counters and the per-endpoint breakdown. */
  readonly kind: 'utterance' | 'slot' | 'fallback' | 'hostile';
}

export interface Conversation {
  readonly template: string;
  readonly locale: LocaleId;
  readonly userId: string;
  readonly channel: string;
  readonly turns: readonly Turn[];
}

/** Weighted conversation shapes. Weights are relative. */
export const TEMPLATES = [
  { name: 'order-status-across-turns', weight: 25 },
  { name: 'order-status-one-shot', weight: 15 },
  { name: 'report-issue-across-turns', weight: 20 },
  { name: 'product-info-across-turns', weight: 15 },
  { name: 'talk-to-agent', weight: 5 },
  { name: 'fallback-then-recover', weight: 10 },
  { name: 'hostile-input', weight: 10 },
] as const;
export type TemplateName = (typeof TEMPLATES)[number]['name'];

/** Out-of-domain text the bot must answer with its fallback intent. */
export const OUT_OF_DOMAIN: Readonly<Record<LocaleId, readonly string[]>> = {
  en_US: ['what is the airspeed velocity of an unladen swallow', 'purple monkey dishwasher', 'zxq vvk plorf'],
  es_US: ['cuál es la capital de la luna', 'mono morado lavaplatos', 'zxq vvk plorf'],
};

/** Lex's limit is 1,024 characters: anything longer must be refused with 400 (never a 500). */
export const OVERSIZED_TEXT_LENGTH = 1500;

export const pick = <T>(items: readonly T[], random: Random): T => {
  if (items.length === 0) throw new Error('pick: no items');
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
};

export function pickTemplate(random: Random): TemplateName {
  const total = TEMPLATES.reduce((n, t) => n + t.weight, 0);
  let r = random() * total;
  for (const t of TEMPLATES) {
    if ((r -= t.weight) < 0) return t.name;
  }
  return TEMPLATES[TEMPLATES.length - 1]!.name;
}

function intent(model: BotModel, name: string): IntentDefinition {
  const found = model.intents.find((i) => i.name === name);
  if (!found) throw new Error(`bot model has no intent ${name}`);
  return found;
}

/** A value the user would type for a slot type (a synonym or value of an enumeration, or a pattern match). */
export function slotText(model: BotModel, slotType: string, locale: LocaleId, random: Random): string {
  const type = model.slotTypes.find((t) => t.name === slotType);
  if (!type) throw new Error(`bot model has no slot type ${slotType}`);
  if (type.kind === 'pattern') return String(1_000_000 + Math.floor(random() * 9_000_000));
  const value = pick((type as EnumerationSlotType).values[locale], random);
  return pick([value.value, ...value.synonyms], random);
}

/** An utterance of an intent: with its slots (`withSlots`) or without any (so Lex elicits them). */
export function utterance(
  model: BotModel,
  intentName: string,
  locale: LocaleId,
  random: Random,
  withSlots: boolean,
): string {
  const def = intent(model, intentName);
  const candidates = def.utterances[locale].filter((u) => u.includes('{') === withSlots);
  const text = pick(candidates.length ? candidates : def.utterances[locale], random);
  return text.replace(/\{(\w+)\}/g, (_m, slotName: string) => {
    const slot = def.slots.find((s) => s.name === slotName);
    if (!slot) throw new Error(`utterance of ${intentName} references unknown slot ${slotName}`);
    return slotText(model, slot.slotType, locale, random);
  });
}

export interface ConversationOptions {
  readonly model?: BotModel;
  /** Share of es_US conversations. @default 0.4 */
  readonly spanishShare?: number;
  readonly template?: TemplateName;
}

/** Builds the turns of one conversation (one user, locale and channel). */
interface TurnMaker {
  /** The request body for `text`. */
  body(text: string): Record<string, unknown>;
  /** An utterance of intent `name` (with its slots when `withSlots`). */
  say(name: string, withSlots?: boolean): Turn;
  /** The value of the first slot of `intentName`, as the answer to its elicitation. */
  fill(intentName: string): Turn;
  /** Out-of-domain text, answered by the fallback intent. */
  fallback(): Turn;
  /** A request the API must refuse with one of `codes`. */
  rejected(b: Record<string, unknown> | string, codes?: number[]): Turn;
}

function turnMaker(
  model: BotModel,
  locale: LocaleId,
  userId: string,
  channel: string,
  random: Random,
): TurnMaker {
  const body = (text: string): Record<string, unknown> => ({ text, locale, userId, channel, audio: false });
  return {
    body,
    say: (name, withSlots = false) => ({
      body: body(utterance(model, name, locale, random, withSlots)),
      expect: { status: 200, intent: name },
      kind: 'utterance',
    }),
    fill: (intentName) => {
      const slot = intent(model, intentName).slots[0]!;
      return {
        body: body(slotText(model, slot.slotType, locale, random)),
        expect: { status: 200, intent: intentName, slot: slot.name },
        kind: 'slot',
      };
    },
    fallback: () => ({
      body: body(pick(OUT_OF_DOMAIN[locale], random)),
      expect: { status: 200, fallback: true },
      kind: 'fallback',
    }),
    rejected: (b, codes = [400]) => ({ body: b, expect: { status: 400, codes }, kind: 'hostile' }),
  };
}

/** Hostile input: oversized, blank, unsupported locale, malformed JSON, injection-shaped text. */
function hostileTurns({ body, say, rejected }: TurnMaker, userId: string, channel: string): Turn[] {
  return [
    say('Greeting'),
    rejected(body('x'.repeat(OVERSIZED_TEXT_LENGTH))),
    rejected(body('   ')),
    rejected({ text: 'hola', locale: 'fr_FR', userId, channel, audio: false }),
    rejected('{"text": "unterminated', [400]),
    {
      // injection-shaped text inside the limits: answered (any intent), never a 500
      body: body(`'; DROP TABLE conversations; -- <script>alert(1)</script> \${7*7} ../../etc/passwd`),
      expect: { status: 200 },
      kind: 'hostile',
    },
    say('Goodbye'),
  ];
}

/** The turns of `template`, in order. */
function templateTurns(template: TemplateName, make: TurnMaker, userId: string, channel: string): Turn[] {
  const { say, fill, fallback } = make;
  switch (template) {
    case 'order-status-across-turns':
      return [say('Greeting'), say('CheckOrderStatus'), fill('CheckOrderStatus'), say('Goodbye')];
    case 'order-status-one-shot':
      return [say('CheckOrderStatus', true), say('ProductInfo'), fill('ProductInfo'), say('Goodbye')];
    case 'report-issue-across-turns':
      return [say('Greeting'), say('ReportIssue'), fill('ReportIssue'), say('TalkToAgent')];
    case 'product-info-across-turns':
      return [say('Greeting'), say('ProductInfo'), fill('ProductInfo'), say('Goodbye')];
    case 'talk-to-agent':
      return [say('Greeting'), say('TalkToAgent')];
    case 'fallback-then-recover':
      return [fallback(), say('CheckOrderStatus', true), say('Goodbye')];
    case 'hostile-input':
      return hostileTurns(make, userId, channel);
  }
}

/** One conversation: a template, a locale and the turns with what each must get back. */
export function generateConversation(random: Random, opts: ConversationOptions = {}): Conversation {
  const model = opts.model ?? BOT_MODEL;
  const locale: LocaleId = random() < (opts.spanishShare ?? 0.4) ? 'es_US' : 'en_US';
  const template = opts.template ?? pickTemplate(random);
  const channel = pick(['web', 'web', 'web', 'mobile', 'contact-centre'], random);
  const userId = `lt-user-${Math.floor(random() * 1e9).toString(36)}`;
  const turns = templateTurns(template, turnMaker(model, locale, userId, channel, random), userId, channel);
  return { template, locale, userId, channel, turns };
}

/** Mean turns per conversation over the template weights (for arrival rate = turns/s / this). */
export function meanTurnsPerConversation(): number {
  const fixed = () => 0.99; // template is forced below: the locale does not change the turn count
  const total = TEMPLATES.reduce((n, t) => n + t.weight, 0);
  return (
    TEMPLATES.reduce(
      (n, t) => n + t.weight * generateConversation(fixed, { template: t.name }).turns.length,
      0,
    ) / total
  );
}

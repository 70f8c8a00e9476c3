import {
  BotModel,
  EnumerationSlotType,
  IntentDefinition,
  KnowledgeMessages,
  LOCALES,
  LocaleId,
  PatternSlotType,
  SlotTypeDefinition,
  TICKET_PLACEHOLDERS,
} from './types';

/** A bot model that cannot be deployed; the message names the intent, locale or slot at fault. */
export class BotModelError extends Error {
  constructor(message: string) {
    super(`invalid bot model: ${message}`);
    this.name = 'BotModelError';
  }
}

/** Sample utterances an intent needs per locale for the NLU to generalise. */
export const MIN_UTTERANCES = 12;
/** Lex V2 limits. */
const NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
const MAX_UTTERANCE = 500;
const MAX_MESSAGE = 1000;
const SLOT_REF = /\{([^}]*)\}/g;

const normalise = (utterance: string): string => utterance.trim().toLowerCase().replace(/\s+/g, ' ');

function fail(condition: boolean, message: string): void {
  if (condition) throw new BotModelError(message);
}

function checkTexts(texts: readonly string[] | undefined, where: string, what: string): void {
  fail(!texts || texts.length === 0, `${where} has no ${what}`);
  for (const text of texts!) {
    fail(text.trim().length === 0, `${where} has an empty ${what}`);
    fail(text.length > MAX_MESSAGE, `${where} has a ${what} over ${MAX_MESSAGE} characters`);
  }
}

function checkIntent(intent: IntentDefinition, locale: LocaleId, seen: Map<string, string>): void {
  const where = `intent ${intent.name} (${locale})`;
  const slotNames = new Set(intent.slots.map((s) => s.name));
  const utterances = intent.utterances[locale];
  fail(utterances === undefined, `${where} is missing from locale ${locale}`);
  checkTexts(intent.responses[locale], where, 'response');
  for (const slot of intent.slots) {
    checkTexts([slot.prompt[locale]], `${where} slot ${slot.name}`, 'prompt');
    checkTexts([slot.invalidPrompt[locale]], `${where} slot ${slot.name}`, 'invalid-value prompt');
  }
  if (intent.parentIntentSignature === 'AMAZON.FallbackIntent') {
    fail(utterances.length > 0, `${where}: the fallback intent cannot have sample utterances`);
    return;
  }
  fail(
    utterances.length < MIN_UTTERANCES,
    `${where} has ${utterances.length} utterances; at least ${MIN_UTTERANCES} are needed`,
  );
  for (const utterance of utterances) {
    fail(
      utterance.length > MAX_UTTERANCE,
      `${where} utterance '${utterance.slice(0, 40)}...' is over ${MAX_UTTERANCE} characters`,
    );
    for (const [, ref] of utterance.matchAll(SLOT_REF)) {
      fail(!slotNames.has(ref), `${where} utterance '${utterance}' names undefined slot {${ref}}`);
    }
    const key = normalise(utterance);
    const owner = seen.get(key);
    fail(
      owner !== undefined && owner !== intent.name,
      `utterance '${utterance}' (${locale}) is under both ${owner} and ${intent.name}`,
    );
    fail(owner === intent.name, `${where} repeats the utterance '${utterance}'`);
    seen.set(key, intent.name);
  }
  for (const text of intent.responses[locale]) {
    for (const [, ref] of text.matchAll(SLOT_REF)) {
      const ticketRef = intent.ticket !== undefined && isTicketPlaceholder(ref);
      fail(!slotNames.has(ref) && !ticketRef, `${where} response names undefined slot {${ref}}`);
    }
  }
  if (intent.ticket) {
    for (const text of intent.responses[locale]) {
      fail(
        !text.includes('{TicketReference}'),
        `${where} registers a ticket: every response must give its {TicketReference}`,
      );
    }
  }
  if (intent.ticket?.categorySlot !== undefined) {
    fail(
      !slotNames.has(intent.ticket.categorySlot),
      `${where} ticket.categorySlot names undefined slot ${intent.ticket.categorySlot}`,
    );
  }
}

const isTicketPlaceholder = (ref: string): boolean =>
  (TICKET_PLACEHOLDERS as readonly string[]).includes(ref);

/** A system message may use the ticket placeholders only (it belongs to no intent, so no slot). */
function checkSystemPlaceholders(text: string, where: string): void {
  for (const [, ref] of text.matchAll(SLOT_REF)) {
    fail(!isTicketPlaceholder(ref), `${where} names unknown placeholder {${ref}}`);
  }
}

/** Keys valibot skips in records (src/lex/types.ts): a slot so named would never reach the handler. */
const RESERVED_SLOT_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

const KNOWLEDGE_MESSAGES: readonly (keyof KnowledgeMessages)[] = [
  'noAnswer',
  'unavailable',
  'blocked',
  'handOverTitle',
  'handOverButton',
];

/** Every locale is defined and has every system message (escalation, ticket, sorry, knowledge). */
function checkLocales(model: BotModel): void {
  for (const locale of LOCALES) {
    fail(!model.locales[locale], `locale ${locale} is not defined`);
    for (const name of ['escalation', 'ticketUnavailable', 'supportContact', 'sorry'] as const) {
      const where = `messages.${name} (${locale})`;
      checkTexts(
        [model.messages[name]?.[locale]].filter((t) => t !== undefined),
        where,
        'text',
      );
      checkSystemPlaceholders(model.messages[name][locale], where);
    }
    fail(
      !model.messages.escalation[locale].includes('{TicketReference}'),
      `messages.escalation (${locale}) hands over as a ticket: it must give its {TicketReference}`,
    );
    const knowledge = model.messages.knowledge;
    fail(!knowledge, 'messages.knowledge is not defined');
    for (const name of KNOWLEDGE_MESSAGES) {
      checkTexts([knowledge[name]?.[locale] ?? ''], `messages.knowledge.${name} (${locale})`, 'text');
    }
    // A Lex ImageResponseCard title is at most 250 characters, a button's text at most 50.
    const title = knowledge.handOverTitle[locale];
    const button = knowledge.handOverButton[locale];
    fail(title.length > 250, `messages.knowledge.handOverTitle (${locale}) is over 250 characters`);
    fail(button.length > 50, `messages.knowledge.handOverButton (${locale}) is over 50 characters`);
  }
}

function checkPatternSlotType(type: PatternSlotType): void {
  fail(
    type.regex.trim() === '' || type.jsRegex.trim() === '',
    `slot type ${type.name} has no values (empty regex)`,
  );
  try {
    new RegExp(type.jsRegex);
  } catch {
    throw new BotModelError(`slot type ${type.name} has a jsRegex that does not compile: ${type.jsRegex}`);
  }
}

function checkEnumerationSlotType(type: EnumerationSlotType): void {
  for (const locale of LOCALES) {
    const values = type.values[locale];
    fail(!values || values.length === 0, `slot type ${type.name} has no values in ${locale}`);
    for (const v of values) {
      fail(v.value.trim() === '', `slot type ${type.name} has an empty value in ${locale}`);
      fail(
        v.label !== undefined && v.label.trim() === '',
        `slot type ${type.name} value '${v.value}' has an empty label in ${locale}`,
      );
      fail(
        v.synonyms.some((s) => normalise(s) === normalise(v.value)),
        `slot type ${type.name} value '${v.value}' lists itself as a synonym in ${locale}`,
      );
    }
  }
}

/** Checks each slot type; returns them by name. */
function checkSlotTypes(model: BotModel): Map<string, SlotTypeDefinition> {
  const slotTypes = new Map(model.slotTypes.map((t) => [t.name, t]));
  fail(slotTypes.size !== model.slotTypes.length, 'two slot types share a name');
  for (const type of model.slotTypes) {
    fail(!NAME.test(type.name), `slot type '${type.name}' is not a valid Lex name`);
    if (type.kind === 'pattern') checkPatternSlotType(type);
    else checkEnumerationSlotType(type);
  }
  return slotTypes;
}

/** Intent names are valid and unique, slots have usable names and known types, and there is a fallback intent. */
function checkIntentDeclarations(model: BotModel, slotTypes: ReadonlyMap<string, SlotTypeDefinition>): void {
  const names = new Set<string>();
  for (const intent of model.intents) {
    fail(!NAME.test(intent.name), `intent '${intent.name}' is not a valid Lex name`);
    fail(names.has(intent.name), `intent ${intent.name} is defined twice`);
    names.add(intent.name);
    for (const slot of intent.slots) {
      fail(
        RESERVED_SLOT_NAMES.has(slot.name),
        `intent ${intent.name} slot ${slot.name}: the Lex event schema (valibot records) drops a key of that name`,
      );
      fail(
        !slotTypes.has(slot.slotType),
        `intent ${intent.name} slot ${slot.name} uses unknown slot type ${slot.slotType}`,
      );
    }
  }
  fail(
    !model.intents.some(
      (i) => i.name === 'FallbackIntent' && i.parentIntentSignature === 'AMAZON.FallbackIntent',
    ),
    'there is no FallbackIntent with parent AMAZON.FallbackIntent (Lex requires one per locale)',
  );
}

/**
 * Checks what Lex would reject at deploy time, and what would make the bot behave badly,
 * before anything is synthesized. Returns the model so it can wrap an export.
 */
export function validateBotModel(model: BotModel): BotModel {
  fail(!NAME.test(model.name), `bot name '${model.name}' is not a valid Lex name`);
  checkLocales(model);
  const slotTypes = checkSlotTypes(model);
  checkIntentDeclarations(model, slotTypes);
  for (const locale of LOCALES) {
    const seen = new Map<string, string>();
    for (const intent of model.intents) checkIntent(intent, locale, seen);
  }
  return model;
}

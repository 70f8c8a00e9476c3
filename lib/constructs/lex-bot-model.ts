import { CfnBot } from 'aws-cdk-lib/aws-lex';
import { createHash } from 'node:crypto';
import {
  BotModel,
  IntentDefinition,
  LOCALES,
  SlotDefinition,
  LocaleId,
  SlotTypeDefinition,
} from '../../contracts/bot-model/types';
import { slotElicitationCard } from '../../contracts/bot-model/quick-replies';

/** Options of the generated bot that come from the environment's config, not the model. */
export interface LexGenerationOptions {
  /** Below this NLU confidence Lex picks FallbackIntent (0..1). */
  readonly nluConfidenceThreshold: number;
}

const message = (value: string): CfnBot.MessageGroupProperty => ({
  message: { plainTextMessage: { value } },
});

function slotType(type: SlotTypeDefinition, locale: LocaleId): CfnBot.SlotTypeProperty {
  if (type.kind === 'pattern') {
    return {
      name: type.name,
      description: type.description,
      parentSlotTypeSignature: 'AMAZON.AlphaNumeric',
      valueSelectionSetting: { resolutionStrategy: 'ORIGINAL_VALUE', regexFilter: { pattern: type.regex } },
    };
  }
  return {
    name: type.name,
    description: type.description,
    slotTypeValues: type.values[locale].map((v) => ({
      sampleValue: { value: v.value },
      synonyms: v.synonyms.map((value) => ({ value })),
    })),
    valueSelectionSetting: { resolutionStrategy: 'TOP_RESOLUTION' },
  };
}

/**
 * A slot's prompt: its text, then (an enumeration of at most 5 values) the quick-reply card, as a
 * second message group so Lex sends both (contracts/bot-model/quick-replies.ts).
 */
function promptGroups(
  model: BotModel,
  slot: SlotDefinition,
  locale: LocaleId,
): CfnBot.MessageGroupProperty[] {
  const card = slotElicitationCard(model, slot, locale);
  return [
    message(slot.prompt[locale]),
    ...(card
      ? [
          {
            message: {
              imageResponseCard: { title: card.title, buttons: card.buttons.map((b) => ({ ...b })) },
            },
          },
        ]
      : []),
  ];
}

function intent(model: BotModel, definition: IntentDefinition, locale: LocaleId): CfnBot.IntentProperty {
  if (definition.parentIntentSignature) {
    return {
      name: definition.name,
      description: definition.description,
      parentIntentSignature: definition.parentIntentSignature,
      fulfillmentCodeHook: { enabled: definition.fulfillmentCodeHook },
    };
  }
  const slots = definition.slots.map((slot): CfnBot.SlotProperty => ({
    name: slot.name,
    slotTypeName: slot.slotType,
    valueElicitationSetting: {
      slotConstraint: slot.required ? 'Required' : 'Optional',
      promptSpecification: {
        messageGroupsList: promptGroups(model, slot, locale),
        maxRetries: 2,
        allowInterrupt: true,
      },
    },
  }));
  return {
    name: definition.name,
    description: definition.description,
    sampleUtterances: definition.utterances[locale].map((utterance) => ({ utterance })),
    ...(slots.length > 0
      ? { slots, slotPriorities: definition.slots.map((s, i) => ({ priority: i + 1, slotName: s.name })) }
      : {}),
    dialogCodeHook: { enabled: definition.dialogCodeHook },
    fulfillmentCodeHook: { enabled: definition.fulfillmentCodeHook },
  };
}

/** The `botLocales` of the Lex V2 `CfnBot`: every locale of the model with its slot types and intents. */
export function toLexBotLocales(model: BotModel, options: LexGenerationOptions): CfnBot.BotLocaleProperty[] {
  return LOCALES.map((locale) => ({
    localeId: locale,
    description: model.locales[locale].description,
    nluConfidenceThreshold: options.nluConfidenceThreshold,
    voiceSettings: { voiceId: model.locales[locale].voiceId, engine: 'neural' },
    slotTypes: model.slotTypes.map((t) => slotType(t, locale)),
    intents: model.intents.map((i) => intent(model, i, locale)),
  }));
}

/**
 * Bumped when the generated bot changes without the model changing, so the version's logical id
 * (botModelHash) changes and the alias moves to a bot built by this generator.
 * 2: slot prompts carry quick-reply cards.
 */
export const GENERATOR_REVISION = 2;

/** JSON with object keys sorted, so equal models hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * sha256 (hex) of the model and anything else that shapes the bot (e.g. the NLU threshold): the
 * bot version's logical id, so a change creates a new immutable version and moves the alias.
 */
export function botModelHash(model: BotModel, extra?: unknown): string {
  const generator = GENERATOR_REVISION > 1 ? { generator: GENERATOR_REVISION } : {};
  return createHash('sha256')
    .update(canonical({ model, extra, ...generator }))
    .digest('hex');
}

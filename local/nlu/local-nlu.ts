/**
 * The local NLU: an nlp.js (neural) intent classifier per bot locale, trained at start-up from
 * the bot model's sample utterances, plus the slot extractor generated from its slot types.
 *
 * Training: each sample utterance is added with its `{Slot}` references replaced by the slot
 * type's placeholder word (`slotordernumber`, ...). Classification: the slot values found in
 * the user's text are replaced by the same placeholders first, so "is ORD-48213 shipped?"
 * and "is my laptop order shipped?" are classified on their wording, not on unseen values.
 * Below the configured NLU confidence threshold, the answer is the model's fallback intent,
 * as Lex does.
 */
import { Nlp, type NlpSentimentResult } from '@nlpjs/nlp';
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import type { BotModel, IntentDefinition, LocaleId } from '../../contracts/bot-model/types';
import { placeholderOf, SlotExtractor, type ExtractedSlotValue } from './slots';
import { OUT_OF_DOMAIN } from './out-of-domain';

export interface IntentScore {
  readonly intent: string;
  /** 0..1 */
  readonly confidence: number;
}

export interface Classification {
  /** The chosen intent: a model intent, or the fallback intent's name. */
  readonly intent: string;
  /** Confidence of the chosen intent; undefined for the fallback intent (as in Lex). */
  readonly confidence: number | undefined;
  readonly fallback: boolean;
  /** Every model intent (fallback excluded), best first. */
  readonly ranked: readonly IntentScore[];
}

export interface LocalNluOptions {
  /** Lex NLU confidence threshold (config `bot.nluConfidenceThreshold`). */
  readonly threshold: number;
  readonly locales: readonly LocaleId[];
}

/** nlp.js's label for "none of the intents" (trained from the out-of-domain examples). */
const NONE = 'None';
const SENTIMENT_LANGUAGES = new Set(['en', 'es']);

export class LocalNlu {
  readonly fallbackIntent: string;
  readonly slots: SlotExtractor;
  private readonly intents = new Map<string, IntentDefinition>();

  private constructor(
    readonly model: BotModel,
    private readonly nlp: Nlp,
    private readonly options: LocalNluOptions,
  ) {
    const fallback = model.intents.find((i) => i.parentIntentSignature === 'AMAZON.FallbackIntent');
    if (!fallback) throw new Error('the bot model has no fallback intent');
    this.fallbackIntent = fallback.name;
    for (const intent of model.intents) this.intents.set(intent.name, intent);
    this.slots = new SlotExtractor(model, options.locales);
  }

  /** Trains the classifier of every locale from the model (tens of milliseconds). */
  static async train(model: BotModel, options: LocalNluOptions): Promise<LocalNlu> {
    const languages = options.locales.map((l) => model.locales[l].languageCode);
    const nlp = new Nlp({
      languages,
      autoSave: false,
      autoLoad: false,
      threshold: 0, // our own threshold is applied in classify()
      calculateSentiment: false,
      nlu: { log: false },
    });
    nlp.use(LangEn);
    nlp.use(LangEs);
    const nlu = new LocalNlu(model, nlp, options);
    for (const locale of options.locales) {
      const language = model.locales[locale].languageCode;
      for (const intent of model.intents) {
        if (intent.parentIntentSignature) continue;
        for (const utterance of intent.utterances[locale]) {
          nlp.addDocument(language, nlu.trainingText(intent, utterance), intent.name);
        }
      }
      // A bare slot value ("ORD-12345", "the laptop") is a common answer: it belongs to the
      // intent that owns the slot type, when exactly one intent does.
      for (const [slotType, owners] of slotTypeOwners(model)) {
        if (owners.length === 1) nlp.addDocument(language, placeholderOf(slotType), owners[0]!);
      }
      for (const phrase of OUT_OF_DOMAIN[locale] ?? []) nlp.addDocument(language, phrase, NONE);
    }
    await nlp.train();
    return nlu;
  }

  intent(name: string): IntentDefinition | undefined {
    return this.intents.get(name);
  }

  /** Classifies the text into an intent of the model (or the fallback intent). */
  async classify(text: string, locale: LocaleId): Promise<Classification> {
    const language = this.model.locales[locale].languageCode;
    const masked = this.slots.maskSlotValues(text, locale);
    const result = await this.nlp.process(language, masked);
    const ranked = result.classifications
      .filter((c) => c.intent !== NONE && this.intents.has(c.intent))
      .map((c) => ({ intent: c.intent, confidence: round(c.score) }))
      .sort((a, b) => b.confidence - a.confidence);
    const top = ranked[0];
    const none = result.classifications.find((c) => c.intent === NONE)?.score ?? 0;
    if (!top || top.confidence < this.options.threshold || none > top.confidence) {
      return { intent: this.fallbackIntent, confidence: undefined, fallback: true, ranked };
    }
    return { intent: top.intent, confidence: top.confidence, fallback: false, ranked };
  }

  /** Slot values of an intent found in the text (the elicited slot is tried first). */
  extractSlots(
    text: string,
    intentName: string,
    locale: LocaleId,
    elicitedSlot?: string,
  ): Record<string, ExtractedSlotValue> {
    const intent = this.intents.get(intentName);
    if (!intent) return {};
    return this.slots.extractForIntent(text, intent, locale, elicitedSlot);
  }

  /**
   * nlp.js sentiment (senticon lexicons for en and es) of a text. `undefined` for a language
   * the lexicons do not cover.
   */
  async sentiment(text: string, languageCode: string): Promise<NlpSentimentResult | undefined> {
    if (!SENTIMENT_LANGUAGES.has(languageCode)) return undefined;
    return (await this.nlp.getSentiment(languageCode, text)).sentiment;
  }

  /** A sample utterance as the classifier is trained on it: `{Slot}` -> its type's placeholder. */
  private trainingText(intent: IntentDefinition, utterance: string): string {
    return utterance.replace(/\{(\w+)\}/g, (whole, slotName: string) => {
      const slot = intent.slots.find((s) => s.name === slotName);
      return slot ? placeholderOf(slot.slotType) : whole;
    });
  }
}

/** Slot type name -> the intents having a slot of that type. */
function slotTypeOwners(model: BotModel): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const intent of model.intents) {
    for (const slot of intent.slots) {
      const list = owners.get(slot.slotType) ?? [];
      if (!list.includes(intent.name)) list.push(intent.name);
      owners.set(slot.slotType, list);
    }
  }
  return owners;
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

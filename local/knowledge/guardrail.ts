/**
 * The local guardrail: the policy of contracts/guardrail-policy.ts applied without Bedrock.
 *
 * - Denied topics: an nlp.js classifier per locale trained on each topic's examples and
 *   definition (the policy's own words), with the indexed documents' sentences as the "none"
 *   class, so a question about the company's own help pages ("how do I reset my password?") is
 *   not mistaken for a request for secrets ("what is the admin password?"). Retrained on
 *   re-index. Questions only: answers are passages of the company's documents.
 * - Sensitive information: src/redact.ts finds it; a kind the policy marks BLOCK blocks the
 *   text, ANONYMIZE masks it (questions and answers).
 * - Words: the policy's words and, when it asks for the managed profanity list, a local
 *   stand-in (profanity.ts); whole words, any case (questions and answers).
 *
 * Bedrock's content filters and grounding check are not imitated (docs/knowledge.md).
 */
import MiniSearch from 'minisearch';
import { Nlp } from '@nlpjs/nlp';
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import type { LocaleId } from '../../contracts/bot-model/types';
import type { GuardrailPolicy, RedactorKind } from '../../contracts/guardrail-policy';
import { redact, REDACTED } from '../../src/redact';
import { LOCAL_PROFANITY } from './profanity';
import { evidenceTermProcessor, LANGUAGES } from './text';

const NONE = 'None';
/** A topic is denied when the classifier gives it at least this score (and more than "none"). */
export const TOPIC_THRESHOLD = 0.5;

/** Why a text was blocked: a denied topic's id, personal data, or a filtered word. */
export type BlockReason = string | 'pii' | 'words';

export type GuardrailVerdict =
  | { readonly blocked: false; /** The text with ANONYMIZE kinds masked. */ readonly text: string }
  | { readonly blocked: true; readonly reason: BlockReason };

export class LocalGuardrail {
  private readonly words: RegExp | undefined;
  private readonly blockKinds: ReadonlySet<RedactorKind>;

  private constructor(
    readonly policy: GuardrailPolicy,
    private readonly nlp: Nlp,
    /** Per locale, the topics' own texts (examples, definition), for the shared-words check. */
    private readonly topicTexts: ReadonlyMap<LocaleId, MiniSearch<TopicText>>,
    private readonly locales: readonly LocaleId[],
  ) {
    const words = [...policy.words.custom, ...(policy.words.managedProfanity ? LOCAL_PROFANITY : [])];
    this.words = words.length
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'iu')
      : undefined;
    this.blockKinds = new Set(
      policy.sensitiveInformation.filter((r) => r.action === 'BLOCK').map((r) => r.redactor),
    );
  }

  /**
   * Trains the topic classifier of every locale: the policy's examples and definitions per topic,
   * `negatives` (sentences that are fine to ask about) as "none".
   */
  static async train(
    policy: GuardrailPolicy,
    locales: readonly LocaleId[],
    negatives: Readonly<Partial<Record<LocaleId, readonly string[]>>>,
  ): Promise<LocalGuardrail> {
    const nlp = new Nlp({
      languages: locales.map((l) => LANGUAGES[l].code),
      autoSave: false,
      autoLoad: false,
      threshold: 0,
      calculateSentiment: false,
      nlu: { log: false },
    });
    nlp.use(LangEn);
    nlp.use(LangEs);
    for (const locale of locales) {
      const language = LANGUAGES[locale].code;
      for (const topic of policy.deniedTopics) {
        for (const example of topic.examples[locale]) nlp.addDocument(language, example, topic.id);
        nlp.addDocument(language, topic.definition[locale], topic.id);
      }
      for (const sentence of negatives[locale] ?? []) nlp.addDocument(language, sentence, NONE);
    }
    await nlp.train();
    return new LocalGuardrail(policy, nlp, topicTextIndexes(policy, locales), locales);
  }

  /** A question: words, then personal data, then the denied topics (on the masked text). */
  async checkInput(text: string, locale: LocaleId): Promise<GuardrailVerdict> {
    const verdict = this.checkText(text);
    if (verdict.blocked) return verdict;
    const topic = await this.deniedTopic(withoutMarkers(verdict.text), locale);
    return topic ? { blocked: true, reason: topic } : verdict;
  }

  /** An answer: words and personal data. */
  checkOutput(text: string): GuardrailVerdict {
    return this.checkText(text);
  }

  /**
   * The denied topic the text belongs to, if any: the classifier's best topic, scoring at least
   * TOPIC_THRESHOLD and more than "none", and sharing a (stemmed) word with that topic's own
   * examples or definition (MiniSearch over them): the neural classifier also places texts made of
   * words it never saw; a topic needs some evidence in the text.
   */
  async deniedTopic(text: string, locale: LocaleId): Promise<string | undefined> {
    if (!this.locales.includes(locale)) return undefined;
    const result = await this.nlp.process(LANGUAGES[locale].code, text);
    const none = result.classifications.find((c) => c.intent === NONE)?.score ?? 0;
    const top = result.classifications.filter((c) => c.intent !== NONE).sort((a, b) => b.score - a.score)[0];
    if (!top || top.score < TOPIC_THRESHOLD || top.score <= none) return undefined;
    const shared = this.topicTexts
      .get(locale)
      ?.search(text)
      .some((hit) => hit['topic'] === top.intent);
    return shared ? top.intent : undefined;
  }

  private checkText(text: string): GuardrailVerdict {
    if (this.words?.test(text)) return { blocked: true, reason: 'words' };
    const masked = redact(text);
    if (masked === text) return { blocked: false, text };
    for (const kind of this.blockKinds) {
      const marker = REDACTED[kind];
      if (count(masked, marker) > count(text, marker)) return { blocked: true, reason: 'pii' };
    }
    return { blocked: false, text: masked };
  }
}

/** A masked text without the redactor's markers ("[PHONE]" is not a word the customer wrote). */
export const withoutMarkers = (text: string): string => text.replace(/\[[A-Z_]+\]/g, ' ');

interface TopicText {
  readonly id: string;
  readonly topic: string;
  readonly text: string;
}

/** Per locale, a MiniSearch index of each topic's examples and definition. */
function topicTextIndexes(
  policy: GuardrailPolicy,
  locales: readonly LocaleId[],
): ReadonlyMap<LocaleId, MiniSearch<TopicText>> {
  return new Map(
    locales.map((locale) => {
      const index = new MiniSearch<TopicText>({
        fields: ['text'],
        storeFields: ['topic'],
        processTerm: evidenceTermProcessor(locale),
      });
      index.addAll(
        policy.deniedTopics.flatMap((topic) =>
          [...topic.examples[locale], topic.definition[locale]].map((text, i) => ({
            id: `${topic.id}#${i}`,
            topic: topic.id,
            text,
          })),
        ),
      );
      return [locale, index] as const;
    }),
  );
}

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');

const count = (text: string, marker: string): number => text.split(marker).length - 1;

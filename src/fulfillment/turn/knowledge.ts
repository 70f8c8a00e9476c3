/**
 * The knowledge step of a turn: a question no intent covers is answered from the company's
 * documents (the KnowledgeBase port; off when the port is not given).
 *
 * Which turns: the fallback intent's, and those of an intent marked `knowledgeBeyondUtterances`
 * (ProductInfo) whose text none of the intent's sample utterances covers: its fixed responses
 * answer "do you sell tablets", not "how long does the tablet battery last". A text that is only
 * a slot value (the answer to "which product?") is covered.
 *
 * When: `askKnowledge` needs only the event, so it starts in round 1 next to the session read and
 * sentiment; its two calls (Retrieve, Converse) overlap them, and a knowledge turn costs three
 * sequential round trips in all (the writes are the third). Other turns make no call here.
 *
 * What the customer gets (`knowledgeReply`, no I/O):
 *   answer         the grounded answer, its citations in the session attributes
 *   no-answer      an honest "I don't know that one" and a hand-over offer (a card whose button
 *                  sends an utterance of the escalating intent)
 *   blocked        a polite fixed answer (never the blocked text), source 'guardrail'
 *   unavailable    (throttled, timed out, failed) the same honest answer and offer, degraded
 * The answer is in the language of the locale whose knowledge base was asked: the bot locale of
 * the language the customer wrote in last turn, else the turn's locale.
 */
import type { BotModel, IntentDefinition, LocaleId } from '../../../contracts/bot-model/types';
import type { AnswerSource, Citation } from '../../../contracts/conversation-api';
import type { KnowledgeOutcome } from '../../../contracts/conversation-event';
import { Metric } from '../../../contracts/metrics';
import { cardMessage, type LexCardMessage, type LexMessage } from '../../lex/types';
import type { KnowledgeAnswer } from '../../ports';
import { truncateCharacters } from '../../util/characters';
import { withTimeout } from '../../util/timeout';
import { FALLBACK_INTENT } from '../dialog';
import type { Answer } from './answer';
import type { TurnInput } from './input';
import { attempt, type Degradation, type Outcome, type TurnContext } from './outcome';

/** Total budget of one knowledge answer (Retrieve + Converse) when config sets none, ms. */
export const DEFAULT_KNOWLEDGE_TIMEOUT_MS = 6000;
/** Lex V2 accepts a message of at most 1,000 characters. */
const MAX_MESSAGE_CHARACTERS = 1000;
/** A slot value plus at most this many words is an answer to the slot's prompt, not a question. */
const SLOT_ANSWER_EXTRA_WORDS = 1;
/** A slot value in an utterance spans at most this many words. */
const SLOT_VALUE_MAX_WORDS = 3;

/** The knowledge base a question goes to and the language its answer comes in. */
export interface KnowledgeQuestion {
  readonly locale: LocaleId;
  readonly language: string;
}

/** The knowledge question of this turn, if it is one and the feature is on. */
export function knowledgeQuestionOf(
  model: BotModel,
  locales: readonly LocaleId[],
  input: TurnInput,
): KnowledgeQuestion | undefined {
  const def = model.intents.find((i) => i.name === input.intent.name);
  if (!def) return undefined;
  const fallback = def.parentIntentSignature === 'AMAZON.FallbackIntent' || def.name === FALLBACK_INTENT;
  if (!fallback && !def.knowledgeBeyondUtterances) return undefined;
  if (normalize(input.text).replace(/[^a-z]/g, '').length < 2) return undefined;
  if (!fallback && coveredByUtterances(def, input)) return undefined;
  const locale =
    locales.find((l) => l !== input.locale && model.locales[l].languageCode === input.previousLanguage) ??
    input.locale;
  return { locale, language: model.locales[locale].languageCode };
}

/** Whether the text is one the intent's fixed responses answer: a sample utterance, or a slot value. */
export function coveredByUtterances(def: IntentDefinition, input: TurnInput): boolean {
  const text = normalize(input.text);
  let rest = ` ${text} `;
  for (const slot of Object.values(input.intent.slots ?? {})) {
    for (const value of [slot?.value?.originalValue, slot?.value?.interpretedValue]) {
      const v = value ? normalize(value) : '';
      // the value as said, or its plural ("tablet" -> "tablets")
      if (v) rest = rest.replace(new RegExp(` ${escapeRegExp(v)}(?:e?s)? `), ' ');
    }
  }
  if (rest !== ` ${text} ` && rest.trim().split(' ').filter(Boolean).length <= SLOT_ANSWER_EXTRA_WORDS) {
    return true;
  }
  return (def.utterances[input.locale] ?? []).some((u) => utterancePattern(u).test(text));
}

/** Lower case, no accents, words of letters and digits separated by one space. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A sample utterance as a pattern over normalized text; `{Slot}` matches one to three words. */
function utterancePattern(utterance: string): RegExp {
  const slot = `\\S+(?: \\S+){0,${SLOT_VALUE_MAX_WORDS - 1}}`;
  const parts = utterance.split(/\{[A-Za-z][A-Za-z0-9_]*\}/).map((p) => escapeRegExp(normalize(p)));
  return new RegExp(`^${parts.join(` ?${slot} ?`).trim()}$`);
}

/** What the knowledge base said, or why it could not say anything; undefined when not asked. */
export interface KnowledgeAsked {
  readonly question: KnowledgeQuestion;
  readonly outcome: Outcome<KnowledgeAnswer>;
  readonly latencyMs: number;
}

/** Asks the knowledge base, within the knowledge budget, when this turn is a knowledge question. */
export async function askKnowledge(ctx: TurnContext, input: TurnInput): Promise<KnowledgeAsked | undefined> {
  const { knowledge, model, config } = ctx.deps;
  if (!knowledge) return undefined;
  const question = knowledgeQuestionOf(model, config.locales, input);
  if (!question) return undefined;
  const started = ctx.now();
  const budget = config.knowledgeTimeoutMs ?? DEFAULT_KNOWLEDGE_TIMEOUT_MS;
  const outcome = await attempt(() =>
    withTimeout('knowledge', budget, (signal) => knowledge.answer(input.text, question.locale, { signal })),
  );
  return { question, outcome, latencyMs: Math.max(0, ctx.now() - started) };
}

/** The answer of a knowledge turn and what the turn records about it (flags, never text). */
export interface KnowledgeReply {
  readonly outcome: KnowledgeOutcome;
  readonly source: AnswerSource;
  /** Where a guardrail blocked, when it did. */
  readonly guardrail?: 'input' | 'output';
  /** Why there was no answer (no-passages, not-grounded, declined), when there was none. */
  readonly reason?: string;
  /** The text messages, in `language`. */
  readonly messages: LexMessage[];
  readonly language: string;
  /** The hand-over offer, after the messages. */
  readonly card?: LexCardMessage;
  readonly citations: readonly Citation[];
  readonly latencyMs: number;
  readonly degradations: Degradation[];
}

const text = (content: string): LexMessage => ({
  contentType: 'PlainText',
  content: truncateCharacters(content, MAX_MESSAGE_CHARACTERS),
});

/** The answer a knowledge turn gives, from what the knowledge base said. */
export function knowledgeReply(model: BotModel, asked: KnowledgeAsked, answer: Answer): KnowledgeReply {
  const { locale, language } = asked.question;
  const messages = model.messages.knowledge;
  const base = { language, latencyMs: asked.latencyMs, citations: [] as Citation[], degradations: [] };
  // Handing over already (repeated negative sentiment): say so instead of offering it.
  const escalation = answer.sentimentEscalation ? [text(model.messages.escalation[locale])] : [];
  const offer = answer.escalated ? undefined : handOverCard(model, locale);
  const out = asked.outcome;
  if (!out.ok) {
    return {
      ...base,
      outcome: 'unavailable',
      source: 'knowledge',
      messages: [text(messages.unavailable[locale]), ...escalation],
      ...(offer ? { card: offer } : {}),
      degradations: [{ metric: Metric.KnowledgeUnavailable, error: out.error, what: 'knowledge' }],
    };
  }
  const said = out.value;
  switch (said.kind) {
    case 'answer':
      return {
        ...base,
        outcome: 'answered',
        source: 'knowledge',
        messages: [text(said.text), ...escalation],
        citations: said.citations,
      };
    case 'blocked':
      return {
        ...base,
        outcome: 'blocked',
        source: 'guardrail',
        guardrail: said.stage,
        messages: [text(messages.blocked[locale]), ...escalation],
      };
    case 'no-answer':
      return {
        ...base,
        outcome: 'no-answer',
        source: 'knowledge',
        reason: said.reason,
        messages: [text(messages.noAnswer[locale]), ...escalation],
        ...(offer ? { card: offer } : {}),
      };
  }
}

/**
 * The hand-over offer: a card with one button that sends the first utterance of the escalating
 * intent (TalkToAgent) in the locale; none when the model has no such intent.
 */
export function handOverCard(model: BotModel, locale: LocaleId): LexCardMessage | undefined {
  const intent = model.intents.find((i) => i.escalates === true && i.slots.length === 0);
  const value = intent?.utterances[locale]?.[0];
  if (!value) return undefined;
  const { handOverTitle, handOverButton } = model.messages.knowledge;
  return cardMessage({
    title: handOverTitle[locale],
    buttons: [{ text: handOverButton[locale], value: value.slice(0, 50) }],
  });
}

/**
 * Step 4 of a turn, only for a turn in a language the bot does not speak: one extra round that
 * translates the user's text into the locale's language (for the event and the attributes)
 * and the answer back into the user's, all in parallel, with the model's protected terms
 * (order numbers) masked so they are never translated.
 */
import { Metric } from '../../../contracts/metrics';
import type { LexMessage } from '../../lex/types';
import type { Translator } from '../../ports';
import { withTimeout } from '../../util/timeout';
import { protectedPatterns } from '../dialog';
import { maskTerms, restoreTerms } from '../protected-terms';
import type { TurnInput } from './input';
import { attempt, type Degradation, type TurnContext } from './outcome';

export interface Translation {
  /** The answer in the user's language (a message whose translation failed stays as it was). */
  readonly messages: LexMessage[];
  /** The user's text in the locale's language, when translated. */
  readonly translatedInput: string | undefined;
  readonly degradations: Degradation[];
}

export async function translateTurn(
  ctx: TurnContext,
  input: TurnInput,
  language: string,
  messages: LexMessage[],
  /** The language `messages` are in (a knowledge answer may come from another locale's documents). */
  messagesLanguage: string = input.localeLanguage,
): Promise<Translation> {
  const { translator } = ctx.deps;
  const inputInOtherLanguage = language !== input.localeLanguage;
  const answerInOtherLanguage = language !== messagesLanguage;
  if ((!inputInOtherLanguage && !answerInOtherLanguage) || !translator) {
    return { messages, translatedInput: undefined, degradations: [] };
  }
  const one = translateOne(ctx, translator);
  const target = input.localeLanguage;
  const [inOut, ...answerOut] = await Promise.all([
    inputInOtherLanguage ? attempt(() => one(input.text, language, target)) : undefined,
    ...messages.map((m) =>
      answerInOtherLanguage ? attempt(() => one(m.content, messagesLanguage, language)) : undefined,
    ),
  ]);
  const failed = [inOut, ...answerOut].find((o) => o && !o.ok);
  return {
    messages: messages.map((m, i) => {
      const o = answerOut[i];
      return o?.ok ? { ...m, content: o.value } : m;
    }),
    translatedInput: inOut?.ok ? inOut.value : undefined,
    degradations:
      failed && !failed.ok
        ? [{ metric: Metric.TranslationUnavailable, error: failed.error, what: 'translation' }]
        : [],
  };
}

/** Translates one text with the protected terms masked; throws when a term did not survive. */
function translateOne(
  ctx: TurnContext,
  translator: Translator,
): (source: string, from: string, to: string) => Promise<string> {
  const patterns = protectedPatterns(ctx.deps.model);
  return async (source, from, to) => {
    const masked = maskTerms(source, patterns);
    const out = await withTimeout('translate', ctx.budget, () => translator.translate(masked.text, from, to));
    const restored = restoreTerms(out, masked.terms);
    if (restored === undefined) throw new Error('protected term lost in translation');
    return restored;
  };
}

/** The checks Lex makes on a RecognizeText request before the turn runs, with Lex's error types and messages. */
import type { LocaleId } from '../../contracts/bot-model/types';
import { characterCount } from '../../src/util/characters';
import { isStringMap } from './intents';
import { LexError, type RecognizeTextRequest } from './wire';

/** Lex V2's documented session id pattern (RecognizeText URI parameter). */
export const LEX_SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/;

export interface RequestRules {
  readonly botIds: ReadonlySet<string>;
  readonly aliasIds: ReadonlySet<string>;
  readonly locales: readonly LocaleId[];
  /** Lex's text input limit, in characters (code points, as Lex counts: src/util/characters.ts). */
  readonly maxTextLength: number;
}

/** The request's locale, once the bot, alias, locale, session id, text and attributes are valid. */
export function validateRequest(request: RecognizeTextRequest, rules: RequestRules): LocaleId {
  if (!rules.botIds.has(request.botId)) {
    throw new LexError('ResourceNotFoundException', `bot ${request.botId} not found`);
  }
  if (!rules.aliasIds.has(request.botAliasId)) {
    throw new LexError('ResourceNotFoundException', `bot alias ${request.botAliasId} not found`);
  }
  if (!(rules.locales as readonly string[]).includes(request.localeId)) {
    throw new LexError(
      'ResourceNotFoundException',
      `locale ${request.localeId} is not built for this bot alias`,
    );
  }
  if (!LEX_SESSION_ID.test(request.sessionId)) {
    throw new LexError(
      'ValidationException',
      `1 validation error detected: Value at 'sessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+`,
    );
  }
  const max = rules.maxTextLength;
  const length = typeof request.text === 'string' ? characterCount(request.text) : 0;
  if (length < 1 || length > max) {
    throw new LexError(
      'ValidationException',
      `1 validation error detected: Value at 'text' failed to satisfy constraint: Member must have length between 1 and ${max}`,
    );
  }
  if (request.requestAttributes !== undefined && !isStringMap(request.requestAttributes)) {
    throw new LexError('ValidationException', `'requestAttributes' must be a map of strings`);
  }
  if (
    request.sessionState?.sessionAttributes !== undefined &&
    !isStringMap(request.sessionState.sessionAttributes)
  ) {
    throw new LexError('ValidationException', `'sessionState.sessionAttributes' must be a map of strings`);
  }
  return request.localeId as LocaleId;
}

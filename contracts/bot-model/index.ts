/**
 * The bot model: one typed definition of the bot, shared by the Lex construct (lib/), the
 * fulfillment handler (src/) and the local NLU (local/). Importing it does no work: whatever
 * builds something from a model validates it first (`validateBotModel`: the Lex construct at
 * synth, the local platform at start-up; a test pins BOT_MODEL as valid), so the Lambda does not
 * re-validate at every cold start. How to extend it: docs/bot-model.md.
 */
import { MODEL } from './model';
import type { BotModel } from './types';

export * from './types';
export { BotModelError, MIN_UTTERANCES, validateBotModel } from './validate';

export const BOT_MODEL: BotModel = MODEL;

/**
 * The bot model, validated at import (so `cdk synth`, the handlers and the local NLU all refuse
 * a broken model). How to extend it: docs/bot-model.md.
 */
import { MODEL } from './model';
import { validateBotModel } from './validate';

export * from './types';
export { BotModelError, MIN_UTTERANCES, validateBotModel } from './validate';

export const BOT_MODEL = validateBotModel(MODEL);

/**
 * Step 7 of a turn, no I/O: the Lex V2 response: the dialog action, the intent with its
 * state and slots, the (translated) messages, and the session attributes that carry the
 * session state to the next turn even when Redis is down.
 */
import type { ResponseCard } from '../../../contracts/bot-model/quick-replies';
import { type LexV2CodeHookResponse, SessionAttr } from '../../lex/types';
import { MAX_TEXT_CHARACTERS, truncateCharacters } from '../../util/characters';
import type { AnsweredTurn } from './state';

export function respond(turn: AnsweredTurn, audioUrl: string | undefined): LexV2CodeHookResponse {
  const { decision } = turn.answer;
  return {
    sessionState: {
      sessionAttributes: sessionAttributesOf(turn, audioUrl),
      dialogAction:
        decision.dialogAction === 'ElicitSlot'
          ? { type: 'ElicitSlot', slotToElicit: decision.slotToElicit! }
          : { type: 'Close' },
      intent: {
        name: decision.intentName,
        state: decision.state,
        confirmationState: turn.input.intent.confirmationState ?? 'None',
        slots: decision.lexSlots,
      },
    },
    // the quick replies after the (translated) text: button values resolve in the bot's locale
    messages: decision.card
      ? [
          ...turn.translation.messages,
          { contentType: 'ImageResponseCard', imageResponseCard: cardOf(decision.card) },
        ]
      : turn.translation.messages,
  };
}

const cardOf = (card: ResponseCard) => ({
  title: card.title,
  buttons: card.buttons.map((b) => ({ text: b.text, value: b.value })),
});

/** Lex's attributes with this turn's session state; stale per-turn attributes are removed. */
export function sessionAttributesOf(
  { input, understanding, answer, translation }: AnsweredTurn,
  audioUrl: string | undefined,
): Record<string, string> {
  const { sentiment } = understanding;
  const { translatedInput } = translation;
  const attrs: Record<string, string> = {
    ...input.attrs,
    [SessionAttr.turn]: String(answer.turn),
    [SessionAttr.language]: understanding.language,
    [SessionAttr.sentimentTrend]: answer.trend.join(','),
    [SessionAttr.escalated]: String(answer.escalated),
    [SessionAttr.lastIntent]: answer.decision.intentName,
  };
  if (sentiment) attrs[SessionAttr.sentiment] = sentiment.label;
  else delete attrs[SessionAttr.sentiment];
  if (audioUrl) attrs[SessionAttr.audioUrl] = audioUrl;
  else delete attrs[SessionAttr.audioUrl];
  if (translatedInput)
    attrs[SessionAttr.translatedInput] = truncateCharacters(translatedInput, MAX_TEXT_CHARACTERS);
  else delete attrs[SessionAttr.translatedInput];
  return attrs;
}

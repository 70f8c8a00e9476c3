/**
 * Step 7 of a turn, no I/O: the Lex V2 response: the dialog action, the intent with its
 * state and slots, the (translated) messages, and the session attributes that carry the
 * session state to the next turn even when Redis is down.
 */
import { cardMessage, type LexV2CodeHookResponse, SessionAttr } from '../../lex/types';
import { MAX_TEXT_CHARACTERS, truncateCharacters } from '../../util/characters';
import type { AnsweredTurn } from './state';

export function respond(turn: AnsweredTurn, audioUrl: string | undefined): LexV2CodeHookResponse {
  const { decision } = turn.answer;
  const { knowledge } = turn;
  // A knowledge answer closes the intent: the question is answered (or honestly not).
  const elicit = decision.dialogAction === 'ElicitSlot' && !knowledge;
  const card = knowledge ? knowledge.card : decision.card && cardMessage(decision.card);
  return {
    sessionState: {
      sessionAttributes: sessionAttributesOf(turn, audioUrl),
      dialogAction: elicit ? { type: 'ElicitSlot', slotToElicit: decision.slotToElicit! } : { type: 'Close' },
      intent: {
        name: decision.intentName,
        state: knowledge ? 'Fulfilled' : decision.state,
        confirmationState: turn.input.intent.confirmationState ?? 'None',
        slots: decision.lexSlots,
      },
    },
    // One card at most, after the (translated) text: a knowledge turn's hand-over offer, else the
    // slot's quick replies (button values resolve in the bot's locale).
    messages: card ? [...turn.translation.messages, card] : turn.translation.messages,
  };
}

/** Lex's attributes with this turn's session state; stale per-turn attributes are removed. */
export function sessionAttributesOf(
  { input, understanding, answer, translation, knowledge, ticket }: AnsweredTurn,
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
    // Every turn, so a previous turn's source and citations never leak into this one.
    [SessionAttr.answerSource]: knowledge?.source ?? 'intent',
    [SessionAttr.citations]: knowledge?.citations.length ? JSON.stringify(knowledge.citations) : '',
    // '' on a turn without a ticket, so an earlier turn's reference never shows on this one
    [SessionAttr.ticketRef]: ticket?.reference ?? '',
  };
  if (sentiment) attrs[SessionAttr.sentiment] = sentiment.label;
  else delete attrs[SessionAttr.sentiment];
  if (audioUrl) attrs[SessionAttr.audioUrl] = audioUrl;
  else delete attrs[SessionAttr.audioUrl];
  if (translatedInput && knowledge?.guardrail !== 'input')
    attrs[SessionAttr.translatedInput] = truncateCharacters(translatedInput, MAX_TEXT_CHARACTERS);
  else delete attrs[SessionAttr.translatedInput];
  return attrs;
}

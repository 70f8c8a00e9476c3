/**
 * The conversation API's request and response bodies (README, "The conversation API"): served by
 * the channel handler on a deployed stage and by `npm start`, read by the load tests and the chat
 * widget.
 */
import type { LocaleId } from './bot-model/types';

export interface MessageRequest {
  text: string;
  locale: LocaleId;
  /** Ignored when the caller has an authenticated identity: that identity is the user. */
  userId?: string;
  channel: string;
  audio: boolean;
}

/** Where an answer came from: the bot's intents, the knowledge base, or a guardrail that intervened. */
export type AnswerSource = 'intent' | 'knowledge' | 'guardrail';

/** A document an answer was taken from. */
export interface Citation {
  /** The document's title. */
  title: string;
  /** Where the customer can read it (https URL, or a path the web component serves). */
  link: string;
  /** The passage the answer used, plain text (never HTML). */
  snippet: string;
}

/** A choice the bot offers (a Lex ImageResponseCard button): `value` is sent as the next message. */
export interface QuickReply {
  text: string;
  value: string;
}

export interface MessageResponse {
  conversationId: string;
  /** The conversation's turn this answer belongs to (1-based); feedback names it. */
  turn: number | null;
  messages: { contentType: string; content: string }[];
  intent: { name: string | null; state: string | null; confidence: number | null };
  slots: Record<string, string | null>;
  sentiment: string | null;
  language: string;
  /** Where the answer came from. */
  source: AnswerSource;
  /** The documents a knowledge answer was taken from; [] otherwise. */
  citations: Citation[];
  /** Choices offered with the answer (buttons); [] when none. */
  quickReplies: QuickReply[];
  /** The ticket this turn registered (an issue report or a hand-off), when it did. */
  ticket?: { reference: string };
  audioUrl?: string;
}

/** POST /v1/conversations/{conversationId}/feedback */
export interface FeedbackRequest {
  /** The turn the feedback is about (MessageResponse.turn). */
  turn: number;
  /** Thumbs up (true) or down (false). */
  helpful: boolean;
  /** Optional 1-5 satisfaction rating. */
  rating?: number;
  /** Optional free text (redacted before it is stored). */
  comment?: string;
}

/** Every 4xx/5xx body: the error's code, a message, and the request field at fault. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/**
 * The conversation API's request and response bodies (README, "The conversation API"): served by
 * the channel handler on a deployed stage and by `npm start`, read by the load tests and the chat
 * page's tests.
 */
import type { LocaleId } from './bot-model/types';

export interface MessageRequest {
  text: string;
  locale: LocaleId;
  userId?: string;
  channel: string;
  audio: boolean;
}

export interface MessageResponse {
  conversationId: string;
  messages: { contentType: string; content: string }[];
  intent: { name: string | null; state: string | null; confidence: number | null };
  slots: Record<string, string | null>;
  sentiment: string | null;
  language: string;
  audioUrl?: string;
}

/** Every 4xx/5xx body: the error's code, a message, and the request field at fault. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

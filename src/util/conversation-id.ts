import { createHash } from 'node:crypto';

/** Conversation ids we accept as-is in keys: Lex's session id alphabet, 2..100 characters. */
export const CONVERSATION_ID_PATTERN = /^[0-9a-zA-Z._:-]{2,100}$/;

/**
 * The id as it may appear inside a storage key: a valid id passes unchanged (readable keys);
 * anything else is replaced by its SHA-256 (so user input never shapes a key).
 * Braces are never in the result, so the `{...}` Redis hash tag stays well formed.
 */
export function keySafeConversationId(conversationId: string): string {
  if (CONVERSATION_ID_PATTERN.test(conversationId)) return conversationId;
  return `h-${createHash('sha256').update(conversationId, 'utf8').digest('hex')}`;
}

/**
 * The id as a trace annotation carries it: the first 16 hex digits of its SHA-256, never the id
 * itself (ids may be chosen by the user, and annotations are indexed and shown in X-Ray). The
 * same id always gives the same value, so a conversation's turns are found by hashing its id.
 */
export function conversationIdHash(conversationId: string): string {
  return createHash('sha256').update(conversationId, 'utf8').digest('hex').slice(0, 16);
}

/**
 * The body of a message request, validated field by field: a client mistake is a RequestError
 * naming the field (4xx), never a 5xx.
 */
import type { LocaleId } from '../../contracts/bot-model/types';
import type { MessageRequest } from '../../contracts/conversation-api';
import { characterCount, MAX_TEXT_CHARACTERS } from '../util/characters';
import { RequestError } from './http';

/** Lex RecognizeText accepts at most 1,024 characters (code points: src/util/characters.ts) of text. */
export const MAX_TEXT_LENGTH = MAX_TEXT_CHARACTERS;
/** Request bodies above this are refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;
const CHANNEL_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const USER_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Validates the body of a message request; throws a RequestError naming the field. */
export function parseMessageRequest(
  rawBody: string | undefined,
  locales: readonly LocaleId[],
): MessageRequest {
  const b = jsonObjectOf(rawBody);
  const text = textOf(b.text);
  const locale = localeOf(b.locale, locales);
  const channel = channelOf(b.channel);
  const userId = userIdOf(b.userId);
  if (b.audio !== undefined && typeof b.audio !== 'boolean') {
    throw new RequestError(400, 'INVALID_AUDIO', 'audio must be a boolean', 'audio');
  }
  return { text, locale, channel, audio: b.audio === true, ...(userId ? { userId } : {}) };
}

/** The body as a JSON object, or the RequestError naming what is wrong with it (also 413 over MAX_BODY_BYTES). */
export function jsonObjectOf(rawBody: string | undefined): Record<string, unknown> {
  if (rawBody === undefined || rawBody === '')
    throw new RequestError(400, 'MISSING_BODY', 'body is required', 'body');
  if (Buffer.byteLength(rawBody, 'utf8') > MAX_BODY_BYTES) {
    throw new RequestError(413, 'BODY_TOO_LARGE', `body must be at most ${MAX_BODY_BYTES} bytes`, 'body');
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new RequestError(400, 'MALFORMED_JSON', 'body is not valid JSON', 'body');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestError(400, 'INVALID_BODY', 'body must be a JSON object', 'body');
  }
  return body as Record<string, unknown>;
}

function textOf(value: unknown): string {
  if (typeof value !== 'string') throw new RequestError(400, 'INVALID_TEXT', 'text must be a string', 'text');
  const text = value.trim();
  if (text.length === 0) throw new RequestError(400, 'EMPTY_TEXT', 'text must not be empty', 'text');
  if (characterCount(text) > MAX_TEXT_LENGTH) {
    throw new RequestError(
      400,
      'TEXT_TOO_LONG',
      `text must be at most ${MAX_TEXT_LENGTH} characters`,
      'text',
    );
  }
  return text;
}

function localeOf(value: unknown, locales: readonly LocaleId[]): LocaleId {
  if (value === undefined) return locales[0] ?? 'en_US';
  if (typeof value !== 'string' || !(locales as readonly string[]).includes(value)) {
    throw new RequestError(400, 'UNKNOWN_LOCALE', `locale must be one of ${locales.join(', ')}`, 'locale');
  }
  return value as LocaleId;
}

function channelOf(value: unknown): string {
  if (value === undefined) return 'web';
  if (typeof value !== 'string' || !CHANNEL_PATTERN.test(value)) {
    throw new RequestError(400, 'INVALID_CHANNEL', 'channel must be 1-32 letters, digits, _ or -', 'channel');
  }
  return value.toLowerCase();
}

function userIdOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !USER_ID_PATTERN.test(value)) {
    throw new RequestError(
      400,
      'INVALID_USER_ID',
      'userId must be 1-128 characters of [A-Za-z0-9._:@-]',
      'userId',
    );
  }
  return value;
}

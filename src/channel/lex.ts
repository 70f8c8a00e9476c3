/**
 * Lex V2 RecognizeText, seen from the channel: the RecognizeText response mapped to the
 * channel contract, and a RecognizeText failure mapped to an HTTP answer (throttling 429 and
 * unavailable 503, both with Retry-After; a busy conversation 409).
 */
import type { RecognizeTextResponse, Slot } from '@aws-sdk/client-lex-runtime-v2';
import type { LocaleId } from '../../contracts/bot-model/types';
import type { AnswerSource, Citation, MessageResponse, QuickReply } from '../../contracts/conversation-api';
import { SessionAttr } from '../lex/types';
import { errorResponse, type HttpResult } from './http';

const LOCALE_LANGUAGE: Record<LocaleId, string> = { en_US: 'en', es_US: 'es' };

function slotText(slot: Slot | undefined): string | null {
  if (!slot) return null;
  if (slot.values?.length) {
    const parts = slot.values.map(slotText).filter((v): v is string => !!v);
    return parts.length ? parts.join(', ') : null;
  }
  return slot.value?.interpretedValue ?? slot.value?.originalValue ?? null;
}

/** RecognizeText response -> the channel contract. */
export function toMessageResponse(
  conversationId: string,
  locale: LocaleId,
  res: RecognizeTextResponse,
): MessageResponse {
  const intent = res.sessionState?.intent;
  const interpretation =
    res.interpretations?.find((i) => i.intent?.name && i.intent.name === intent?.name) ??
    res.interpretations?.[0];
  const attrs = res.sessionState?.sessionAttributes ?? {};
  const slots: Record<string, string | null> = {};
  for (const [name, slot] of Object.entries(intent?.slots ?? {})) slots[name] = slotText(slot);
  const audioUrl = attrs[SessionAttr.audioUrl];
  const ticketRef = attrs[SessionAttr.ticketRef];
  const turn = Number(attrs[SessionAttr.turn]);
  return {
    conversationId,
    turn: Number.isInteger(turn) && turn > 0 ? turn : null,
    messages: (res.messages ?? [])
      .filter((m) => typeof m.content === 'string' && m.content.length > 0)
      .map((m) => ({ contentType: m.contentType ?? 'PlainText', content: m.content as string })),
    intent: {
      name: intent?.name ?? null,
      state: intent?.state ?? null,
      confidence: interpretation?.nluConfidence?.score ?? null,
    },
    slots,
    sentiment: attrs[SessionAttr.sentiment] ?? interpretation?.sentimentResponse?.sentiment ?? null,
    language: attrs[SessionAttr.language] || LOCALE_LANGUAGE[locale],
    source: sourceOf(attrs[SessionAttr.answerSource]),
    citations: citationsOf(attrs[SessionAttr.citations]),
    quickReplies: quickRepliesOf(res.messages),
    ...(ticketRef ? { ticket: { reference: ticketRef } } : {}),
    ...(audioUrl ? { audioUrl } : {}),
  };
}

const SOURCES: readonly AnswerSource[] = ['intent', 'knowledge', 'guardrail'];

function sourceOf(value: string | undefined): AnswerSource {
  return SOURCES.includes(value as AnswerSource) ? (value as AnswerSource) : 'intent';
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** The `citations` session attribute (JSON Citation[]); [] when absent or not that shape. */
function citationsOf(json: string | undefined): Citation[] {
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter((c): c is Citation => isText(c?.title) && isText(c?.link) && isText(c?.snippet))
    .map(({ title, link, snippet }) => ({ title, link, snippet }));
}

/** The buttons of the answer's ImageResponseCard messages, in order. */
function quickRepliesOf(messages: RecognizeTextResponse['messages']): QuickReply[] {
  const replies: QuickReply[] = [];
  for (const m of messages ?? []) {
    for (const b of m.imageResponseCard?.buttons ?? []) {
      if (isText(b.text) && isText(b.value)) replies.push({ text: b.text, value: b.value });
    }
  }
  return replies;
}

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException']);
const UNAVAILABLE = new Set([
  'InternalServerException',
  'InternalFailureException',
  'DependencyFailedException',
  'BadGatewayException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Maps a RecognizeText failure to an HTTP answer. */
export function mapLexError(err: unknown): HttpResult {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || status === 429) {
    return errorResponse(429, 'THROTTLED', 'too many requests, retry later', undefined, {
      'retry-after': '1',
    });
  }
  if (name === 'ValidationException') {
    return errorResponse(400, 'INVALID_REQUEST', 'the bot rejected the request', 'text');
  }
  if (name === 'ConflictException') {
    return errorResponse(
      409,
      'CONVERSATION_BUSY',
      'another message of this conversation is in progress',
      'conversationId',
      {
        'retry-after': '1',
      },
    );
  }
  if (
    UNAVAILABLE.has(name) ||
    (e?.code && NETWORK_CODES.has(e.code)) ||
    (status !== undefined && status >= 500)
  ) {
    return errorResponse(503, 'UNAVAILABLE', 'the bot is temporarily unavailable', undefined, {
      'retry-after': '2',
    });
  }
  // Access denied, unknown bot or alias: our configuration, not the client's mistake.
  return errorResponse(502, 'UPSTREAM_ERROR', 'the bot could not answer');
}

/**
 * The channel API (DESIGN.md section 4) over API Gateway HTTP API v2 events:
 *   POST /v1/conversations/{conversationId}/messages -> Lex V2 RecognizeText -> the contract
 *   GET  /v1/health -> 200 { status: 'ok' }
 * Client mistakes are 4xx naming the field; Lex throttling is 429 and an unavailable
 * dependency 503, both with Retry-After. A 5xx is never the answer to a bad request.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { Metric } from '../../contracts/metrics';
import {
  type LexRuntimeV2Client,
  type RecognizeTextResponse,
  RecognizeTextCommand,
  type Slot,
} from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocaleId } from '../../contracts/bot-model/types';
import type { MessageRequest, MessageResponse } from '../../contracts/conversation-api';
import { RequestAttr, SessionAttr } from '../lex/types';
import { CONVERSATION_ID_PATTERN } from '../util/conversation-id';

/** Lex RecognizeText accepts at most 1,024 characters of text. */
export const MAX_TEXT_LENGTH = 1024;
/** Request bodies above this are refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;
const CHANNEL_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const USER_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
const LOCALE_LANGUAGE: Record<LocaleId, string> = { en_US: 'en', es_US: 'es' };

export interface ChannelDeps {
  lex: LexRuntimeV2Client;
  botId: string;
  botAliasId: string;
  locales: LocaleId[];
  logger: Logger;
  metrics: Metrics;
  /** Budget for the RecognizeText call (Lex waits up to 30 s for a code hook). @default 8000 */
  lexTimeoutMs?: number;
}

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export const errorResponse = (
  statusCode: number,
  code: string,
  message: string,
  field?: string,
  headers?: Record<string, string>,
): HttpResult => json(statusCode, { error: { code, message, ...(field ? { field } : {}) } }, headers);

class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Validates the body of a message request; throws a RequestError naming the field. */
export function parseMessageRequest(
  rawBody: string | undefined,
  locales: readonly LocaleId[],
): MessageRequest {
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
  const b = body as Record<string, unknown>;
  if (typeof b.text !== 'string')
    throw new RequestError(400, 'INVALID_TEXT', 'text must be a string', 'text');
  const text = b.text.trim();
  if (text.length === 0) throw new RequestError(400, 'EMPTY_TEXT', 'text must not be empty', 'text');
  if ([...text].length > MAX_TEXT_LENGTH) {
    throw new RequestError(
      400,
      'TEXT_TOO_LONG',
      `text must be at most ${MAX_TEXT_LENGTH} characters`,
      'text',
    );
  }
  let locale: LocaleId = locales[0] ?? 'en_US';
  if (b.locale !== undefined) {
    if (typeof b.locale !== 'string' || !(locales as readonly string[]).includes(b.locale)) {
      throw new RequestError(400, 'UNKNOWN_LOCALE', `locale must be one of ${locales.join(', ')}`, 'locale');
    }
    locale = b.locale as LocaleId;
  }
  let channel = 'web';
  if (b.channel !== undefined) {
    if (typeof b.channel !== 'string' || !CHANNEL_PATTERN.test(b.channel)) {
      throw new RequestError(
        400,
        'INVALID_CHANNEL',
        'channel must be 1-32 letters, digits, _ or -',
        'channel',
      );
    }
    channel = b.channel.toLowerCase();
  }
  let userId: string | undefined;
  if (b.userId !== undefined) {
    if (typeof b.userId !== 'string' || !USER_ID_PATTERN.test(b.userId)) {
      throw new RequestError(
        400,
        'INVALID_USER_ID',
        'userId must be 1-128 characters of [A-Za-z0-9._:@-]',
        'userId',
      );
    }
    userId = b.userId;
  }
  if (b.audio !== undefined && typeof b.audio !== 'boolean') {
    throw new RequestError(400, 'INVALID_AUDIO', 'audio must be a boolean', 'audio');
  }
  return { text, locale, channel, audio: b.audio === true, ...(userId ? { userId } : {}) };
}

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
  return {
    conversationId,
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
    ...(audioUrl ? { audioUrl } : {}),
  };
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

function routeOf(event: APIGatewayProxyEventV2): { method: string; path: string } {
  const method = (event.requestContext?.http?.method ?? '').toUpperCase();
  const path = typeof event.rawPath === 'string' ? event.rawPath : '';
  return { method, path };
}

const MESSAGES_PATH = /^\/v1\/conversations\/([^/]*)\/messages\/?$/;

export function createChannelHandler(
  deps: ChannelDeps,
): (event: APIGatewayProxyEventV2) => Promise<HttpResult> {
  const { logger } = deps;
  const lexTimeoutMs = deps.lexTimeoutMs ?? 8000;

  async function handle(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    if (event === null || typeof event !== 'object')
      return errorResponse(400, 'INVALID_EVENT', 'not an HTTP request');
    const { method, path } = routeOf(event);
    if (path === '/v1/health' || path === '/v1/health/') {
      return method === 'GET' || method === 'HEAD'
        ? json(200, { status: 'ok' })
        : errorResponse(405, 'METHOD_NOT_ALLOWED', 'use GET', undefined, { allow: 'GET' });
    }
    const match = MESSAGES_PATH.exec(path);
    if (!match) return errorResponse(404, 'NOT_FOUND', 'no such route');
    if (method !== 'POST')
      return errorResponse(405, 'METHOD_NOT_ALLOWED', 'use POST', undefined, { allow: 'POST' });

    let conversationId: string;
    try {
      conversationId = decodeURIComponent(event.pathParameters?.conversationId ?? match[1] ?? '');
    } catch {
      conversationId = '';
    }
    if (!CONVERSATION_ID_PATTERN.test(conversationId)) {
      return errorResponse(
        400,
        'INVALID_CONVERSATION_ID',
        'conversationId must be 2-100 characters of [0-9a-zA-Z._:-]',
        'conversationId',
      );
    }
    let rawBody = event.body;
    if (event.isBase64Encoded && typeof rawBody === 'string') {
      rawBody = Buffer.from(rawBody, 'base64').toString('utf8');
    }
    if (rawBody !== undefined && typeof rawBody !== 'string') {
      return errorResponse(400, 'INVALID_BODY', 'body must be a JSON object', 'body');
    }
    let request: MessageRequest;
    try {
      request = parseMessageRequest(rawBody, deps.locales);
    } catch (err) {
      if (err instanceof RequestError) return errorResponse(err.statusCode, err.code, err.message, err.field);
      throw err;
    }

    logger.appendKeys({ sessionId: conversationId });
    try {
      const res = await deps.lex.send(
        new RecognizeTextCommand({
          botId: deps.botId,
          botAliasId: deps.botAliasId,
          localeId: request.locale,
          sessionId: conversationId,
          text: request.text,
          requestAttributes: {
            [RequestAttr.channel]: request.channel,
            [RequestAttr.audio]: String(request.audio),
            ...(request.userId ? { [RequestAttr.userId]: request.userId } : {}),
          },
        }),
        { abortSignal: AbortSignal.timeout(lexTimeoutMs) },
      );
      const body = toMessageResponse(conversationId, request.locale, res);
      logger.info('message answered', {
        intent: body.intent.name,
        state: body.intent.state,
        locale: request.locale,
      });
      return json(200, body);
    } catch (err) {
      const mapped = mapLexError(err);
      const level = mapped.statusCode >= 500 ? 'error' : 'warn';
      logger[level]('recognize text failed', {
        errorName: (err as Error)?.name,
        statusCode: mapped.statusCode,
      });
      return mapped;
    } finally {
      logger.removeKeys(['sessionId']);
    }
  }

  function count(result: HttpResult, startedMs: number): void {
    const { metrics } = deps;
    metrics.addMetric(Metric.ChannelRequests, MetricUnit.Count, 1);
    const status = result.statusCode;
    if (status === 429 || status === 503) metrics.addMetric(Metric.ChannelThrottled, MetricUnit.Count, 1);
    else if (status >= 500) metrics.addMetric(Metric.ChannelServerErrors, MetricUnit.Count, 1);
    else if (status >= 400) metrics.addMetric(Metric.ChannelClientErrors, MetricUnit.Count, 1);
    metrics.addMetric(Metric.ChannelLatency, MetricUnit.Milliseconds, Math.max(0, Date.now() - startedMs));
  }

  return async function channel(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    const started = Date.now();
    let result: HttpResult;
    try {
      result = await handle(event);
    } catch (err) {
      // A defect of ours (never a client mistake: those are answered above).
      logger.error('channel handler failed', { error: err as Error });
      result = errorResponse(500, 'INTERNAL', 'internal error');
    }
    try {
      count(result, started);
      deps.metrics.publishStoredMetrics();
    } catch (err) {
      logger.warn('metrics not published', { errorName: (err as Error)?.name });
    }
    return result;
  };
}

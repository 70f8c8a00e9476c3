/**
 * The channel API (README, "The conversation API"; contracts/conversation-api.ts) over API Gateway HTTP API v2 events:
 *   POST /v1/conversations/{conversationId}/messages -> Lex V2 RecognizeText -> the contract
 *   POST /v1/conversations/{conversationId}/feedback -> feedback on one answer (src/feedback):
 *        202 stored, 404 no such turn (or not the caller's conversation), 409 already given
 *   GET  /v1/health -> 200 { status: 'ok' }
 * Client mistakes are 4xx naming the field (request.ts); Lex throttling is 429 and an
 * unavailable dependency 503, both with Retry-After (lex.ts). A 5xx is never the answer to a
 * bad request. Every request is counted (ChannelRequests, ChannelClientErrors, ...).
 *
 * Before Lex, one gate call (ConversationGate, gate.ts): the caller (identity.ts, from the IAM
 * authoriser's context) must own the conversation (the first turn binds it; another caller's turn
 * is 404 NOT_FOUND, shaped like any unknown resource) and have a token in its bucket (else 429
 * RATE_LIMITED with the bucket's Retry-After).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { type LexRuntimeV2Client, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LocaleId } from '../../contracts/bot-model/types';
import type { FeedbackRequest, MessageRequest } from '../../contracts/conversation-api';
import { Metric } from '../../contracts/metrics';
import { RequestAttr } from '../lex/types';
import { CONVERSATION_ID_PATTERN } from '../util/conversation-id';
import { recordFeedback } from '../feedback/record';
import { parseFeedbackRequest } from '../feedback/request';
import type { ConversationGate, FeedbackEvents, FeedbackStore } from '../ports';
import { InvocationLog } from '../util/invocation-log';
import { admit, type GateAnswer, notFound } from './gate';
import { errorResponse, type HttpResult, json, RequestError } from './http';
import { type Caller, callerOf, userIdFor } from './identity';
import { mapLexError, toMessageResponse } from './lex';
import { parseMessageRequest } from './request';

export { errorResponse, type HttpResult } from './http';
export { mapLexError, toMessageResponse } from './lex';
export { MAX_BODY_BYTES, MAX_TEXT_LENGTH, parseMessageRequest } from './request';

/** Where feedback goes: stored with its turn, and emitted on the conversation event stream. */
export interface FeedbackPorts {
  readonly store: FeedbackStore;
  readonly events: FeedbackEvents;
}

export interface ChannelDeps {
  lex: LexRuntimeV2Client;
  botId: string;
  botAliasId: string;
  locales: LocaleId[];
  logger: Logger;
  metrics: Metrics;
  /** Conversation ownership and the per-identity rate limit, asked once per turn before Lex. */
  gate: ConversationGate;
  /** Budget for the RecognizeText call (Lex waits up to 30 s for a code hook). @default 8000 */
  lexTimeoutMs?: number;
  /** Feedback on answers (POST .../feedback); without it that route does not exist (404). */
  feedback?: FeedbackPorts | undefined;
}

const MESSAGES_PATH = /^\/v1\/conversations\/([^/]*)\/messages\/?$/;
const FEEDBACK_PATH = /^\/v1\/conversations\/([^/]*)\/feedback\/?$/;

/** What the gate answered, for the metrics (its 429/503 are not Lex throttling). */
const gateAnswers = new WeakMap<HttpResult, GateAnswer>();

export function createChannelHandler(
  deps: ChannelDeps,
): (event: APIGatewayProxyEventV2) => Promise<HttpResult> {
  const { logger, metrics } = deps;
  const lexTimeoutMs = deps.lexTimeoutMs ?? 8000;

  return async function channel(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    const started = Date.now();
    let result: HttpResult;
    try {
      result = await handle(deps, lexTimeoutMs, event);
    } catch (err) {
      // A defect of ours (never a client mistake: those are answered above).
      logger.error('channel handler failed', { error: err as Error });
      result = errorResponse(500, 'INTERNAL', 'internal error');
    }
    try {
      count(metrics, result, started);
      metrics.publishStoredMetrics();
    } catch (err) {
      logger.warn('metrics not published', { errorName: (err as Error)?.name });
    }
    return result;
  };
}

async function handle(
  deps: ChannelDeps,
  lexTimeoutMs: number,
  event: APIGatewayProxyEventV2,
): Promise<HttpResult> {
  if (event === null || typeof event !== 'object')
    return errorResponse(400, 'INVALID_EVENT', 'not an HTTP request');
  const { method, path } = routeOf(event);
  if (path === '/v1/health' || path === '/v1/health/') {
    return method === 'GET' || method === 'HEAD'
      ? json(200, { status: 'ok' })
      : errorResponse(405, 'METHOD_NOT_ALLOWED', 'use GET', undefined, { allow: 'GET' });
  }
  const feedbackMatch = deps.feedback ? FEEDBACK_PATH.exec(path) : null;
  const match = feedbackMatch ?? MESSAGES_PATH.exec(path);
  if (!match) return errorResponse(404, 'NOT_FOUND', 'no such route');
  if (method !== 'POST')
    return errorResponse(405, 'METHOD_NOT_ALLOWED', 'use POST', undefined, { allow: 'POST' });
  const conversationId = conversationIdOf(event, match);
  if (!CONVERSATION_ID_PATTERN.test(conversationId)) {
    return errorResponse(
      400,
      'INVALID_CONVERSATION_ID',
      'conversationId must be 2-100 characters of [0-9a-zA-Z._:-]',
      'conversationId',
    );
  }
  const request = feedbackMatch
    ? bodyOf(event, parseFeedbackRequest)
    : bodyOf(event, (raw) => parseMessageRequest(raw, deps.locales));
  if ('statusCode' in request) return request;
  const caller = callerOf(event);
  // Never behind the IAM authoriser (unsigned requests never reach the function): fail closed.
  if (!caller) return errorResponse(403, 'FORBIDDEN', 'the request carries no caller identity');
  const refused = await admit(deps, conversationId, caller);
  if (refused) {
    gateAnswers.set(refused.result, refused.answer);
    return refused.result;
  }
  return 'helpful' in request
    ? feedback(deps, conversationId, request)
    : recognize(deps, lexTimeoutMs, conversationId, request, caller);
}

function routeOf(event: APIGatewayProxyEventV2): { method: string; path: string } {
  const method = (event.requestContext?.http?.method ?? '').toUpperCase();
  const path = typeof event.rawPath === 'string' ? event.rawPath : '';
  return { method, path };
}

/** The path parameter (else the path's segment), URL-decoded; '' when it does not decode. */
function conversationIdOf(event: APIGatewayProxyEventV2, match: RegExpExecArray): string {
  try {
    return decodeURIComponent(event.pathParameters?.conversationId ?? match[1] ?? '');
  } catch {
    return '';
  }
}

/** The validated request body, or the 4xx answer naming what is wrong with it. */
function bodyOf<R extends MessageRequest | FeedbackRequest>(
  event: APIGatewayProxyEventV2,
  parse: (rawBody: string | undefined) => R,
): R | HttpResult {
  let rawBody = event.body;
  if (event.isBase64Encoded && typeof rawBody === 'string') {
    rawBody = Buffer.from(rawBody, 'base64').toString('utf8');
  }
  if (rawBody !== undefined && typeof rawBody !== 'string') {
    return errorResponse(400, 'INVALID_BODY', 'body must be a JSON object', 'body');
  }
  try {
    return parse(rawBody);
  } catch (err) {
    if (err instanceof RequestError) return errorResponse(err.statusCode, err.code, err.message, err.field);
    throw err;
  }
}

/** RecognizeText on the configured bot and alias, within its budget; its failures mapped to HTTP. */
async function recognize(
  deps: ChannelDeps,
  lexTimeoutMs: number,
  conversationId: string,
  request: MessageRequest,
  caller: Caller,
): Promise<HttpResult> {
  // this request's own log keys: never set on the shared Logger (src/util/invocation-log.ts)
  const logger = new InvocationLog(deps.logger, { sessionId: conversationId });
  // a signed-in customer is their user pool sub, whatever the body says (identity.ts)
  const userId = userIdFor(caller, request.userId);
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
          [RequestAttr.callerType]: caller.kind,
          ...(userId ? { [RequestAttr.userId]: userId } : {}),
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
  }
}

/**
 * Feedback on one of the caller's answers (the gate already checked the caller owns the
 * conversation): stored once per answer, emitted, counted (src/feedback/record.ts). A store that
 * cannot be reached is 503 with Retry-After: the client sends it again, nothing is half-written.
 */
async function feedback(
  deps: ChannelDeps,
  conversationId: string,
  request: FeedbackRequest,
): Promise<HttpResult> {
  const logger = new InvocationLog(deps.logger, { sessionId: conversationId });
  const { store, events } = deps.feedback!;
  const count = (
    name: Parameters<Metrics['addMetric']>[0],
    value = 1,
    unit: 'Count' | 'None' = 'Count',
  ): void => {
    deps.metrics.addMetric(name, unit === 'None' ? MetricUnit.NoUnit : MetricUnit.Count, value);
  };
  try {
    const outcome = await recordFeedback({ store, events, count }, logger, {
      conversationId,
      channel: 'web',
      request,
    });
    if (outcome === 'no-such-turn') return notFound();
    if (outcome === 'duplicate')
      return errorResponse(409, 'FEEDBACK_EXISTS', 'this answer already has feedback', 'turn');
    return json(202, { accepted: true, turn: request.turn });
  } catch (err) {
    logger.error('feedback not stored', { errorName: (err as Error)?.name });
    return errorResponse(503, 'UNAVAILABLE', 'feedback could not be stored, retry later', undefined, {
      'retry-after': '2',
    });
  }
}

function count(metrics: Metrics, result: HttpResult, startedMs: number): void {
  metrics.addMetric(Metric.ChannelRequests, MetricUnit.Count, 1);
  const status = result.statusCode;
  const gate = gateAnswers.get(result);
  if (gate === 'rate-limited') metrics.addMetric(Metric.ChannelRateLimited, MetricUnit.Count, 1);
  else if (gate === 'unavailable') {
    metrics.addMetric(Metric.ChannelGateUnavailable, MetricUnit.Count, 1);
    metrics.addMetric(Metric.ChannelServerErrors, MetricUnit.Count, 1);
  } else if (gate === 'not-owner') {
    metrics.addMetric(Metric.ChannelOwnerMismatch, MetricUnit.Count, 1);
    metrics.addMetric(Metric.ChannelClientErrors, MetricUnit.Count, 1);
  } else if (status === 429 || status === 503)
    metrics.addMetric(Metric.ChannelThrottled, MetricUnit.Count, 1);
  else if (status >= 500) metrics.addMetric(Metric.ChannelServerErrors, MetricUnit.Count, 1);
  else if (status >= 400) metrics.addMetric(Metric.ChannelClientErrors, MetricUnit.Count, 1);
  metrics.addMetric(Metric.ChannelLatency, MetricUnit.Milliseconds, Math.max(0, Date.now() - startedMs));
}

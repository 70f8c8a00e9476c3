/**
 * The gate of a turn, before Lex: one ConversationGate call (src/ports.ts; Redis in AWS,
 * src/adapters/redis-conversation-gate.ts) that decides ownership and the per-identity rate limit.
 *
 * The gate FAILS CLOSED: when it cannot be asked (Redis down, timed out), the turn is answered
 * 503 UNAVAILABLE with Retry-After and counted (ChannelGateUnavailable, alarmed), never sent to
 * Lex unchecked. Failing open would let anyone who knows a conversation id read its answers (order
 * numbers, ticket references) and let one caller spend the stage's whole Lex concurrency, exactly
 * while the cache that stops them is down; the session store is Multi-AZ outside dev, so a closed
 * gate is a short, alarmed outage rather than a silent loss of both guarantees (docs/web.md).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { conversationIdHash } from '../util/conversation-id';
import type { ConversationGate } from '../ports';
import { errorResponse, type HttpResult } from './http';
import type { Caller } from './identity';

export type GateAnswer = 'not-owner' | 'rate-limited' | 'unavailable';

/** The answer to a turn on someone else's conversation: the same as for any unknown resource. */
export const notFound = (): HttpResult => errorResponse(404, 'NOT_FOUND', 'no such conversation');

/** Undefined when the turn may go on to Lex; else the answer and why. */
export async function admit(
  deps: { gate: ConversationGate; logger: Logger },
  conversationId: string,
  caller: Caller,
): Promise<{ result: HttpResult; answer: GateAnswer } | undefined> {
  let decision;
  try {
    decision = await deps.gate.admit(conversationId, caller);
  } catch (err) {
    deps.logger.error('conversation gate unavailable: turn refused (fails closed)', {
      errorName: (err as Error)?.name,
      conversation: conversationIdHash(conversationId),
    });
    return {
      answer: 'unavailable',
      result: errorResponse(503, 'UNAVAILABLE', 'the service is temporarily unavailable', undefined, {
        'retry-after': '2',
      }),
    };
  }
  if (decision.outcome === 'admitted') return undefined;
  if (decision.outcome === 'not-owner') {
    // no identity, no owner, no id in the log line: the hash finds the conversation's turns
    deps.logger.warn("turn on another identity's conversation refused", {
      conversation: conversationIdHash(conversationId),
      callerType: caller.kind,
    });
    return { answer: 'not-owner', result: notFound() };
  }
  return {
    answer: 'rate-limited',
    result: errorResponse(429, 'RATE_LIMITED', 'too many messages from this caller, retry later', undefined, {
      'retry-after': String(decision.retryAfterSeconds),
    }),
  };
}

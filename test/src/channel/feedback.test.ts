/**
 * POST /v1/conversations/{id}/feedback on the channel handler: field-named 400s, bound to the
 * conversation's owner by the same gate as the turns (another identity: 404, nothing stored),
 * 202 once stored, 409 for a second feedback on the same answer, 503 when the store is down.
 */
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { FeedbackEvent } from '../../../contracts/conversation-event';
import { Metric } from '../../../contracts/metrics';
import { InMemoryConversationGate } from '../../../local/adapters/memory-conversation-gate';
import {
  createChannelHandler,
  type FeedbackPorts,
  type HttpResult,
} from '../../../src/channel/create-handler';
import type { StoredFeedback } from '../../../src/ports';
import { asCaller, guest } from '../../helpers/callers';
import { capturedMetrics, silentLogger } from '../fixtures';

/** A store that knows which turns exist, like the conversation table. */
class MemoryFeedbackStore {
  readonly turns = new Set<string>();
  readonly stored = new Map<string, StoredFeedback>();
  down = false;
  async attach(conversationId: string, turn: number, feedback: StoredFeedback) {
    if (this.down) throw Object.assign(new Error('down'), { name: 'TimeoutError' });
    const key = `${conversationId}#${turn}`;
    if (!this.turns.has(key)) return 'no-such-turn' as const;
    if (this.stored.has(key)) return 'duplicate' as const;
    this.stored.set(key, feedback);
    return 'stored' as const;
  }
}

function setup() {
  const store = new MemoryFeedbackStore();
  const emitted: FeedbackEvent[] = [];
  const feedback: FeedbackPorts = { store, events: { put: async (e) => void emitted.push(...e) } };
  const { metrics, counts } = capturedMetrics();
  const gate = new InMemoryConversationGate({ ratePerSecond: 100, burst: 100, ownerTtlSeconds: 60 });
  const handler = createChannelHandler({
    lex: new LexRuntimeV2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
    botId: 'BOTID12345',
    botAliasId: 'ALIAS12345',
    locales: ['en_US', 'es_US'],
    logger: silentLogger(),
    metrics,
    gate,
    feedback,
  });
  return { store, emitted, counts, handler, gate };
}

function feedbackEvent(
  conversationId: string,
  body: unknown,
  identityId = 'us-east-1:owner',
): APIGatewayProxyEventV2 {
  const path = `/v1/conversations/${conversationId}/feedback`;
  return asCaller(
    {
      version: '2.0',
      routeKey: 'POST /v1/conversations/{conversationId}/feedback',
      rawPath: path,
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path } },
      pathParameters: { conversationId },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2,
    guest(identityId),
  );
}

const bodyOf = (res: HttpResult) => JSON.parse(res.body) as Record<string, unknown>;

describe('feedback route', () => {
  test('GIVEN an answered turn of the caller WHEN thumbs down with a rating is posted THEN 202, stored, emitted and counted', async () => {
    const { store, emitted, counts, handler, gate } = setup();
    await gate.admit('conv-fb-1', { principal: 'guest:us-east-1:owner', rateLimited: true }); // the first turn bound it
    store.turns.add('conv-fb-1#2');

    const res = await handler(feedbackEvent('conv-fb-1', { turn: 2, helpful: false, rating: 2 }));

    expect(res.statusCode).toBe(202);
    expect(bodyOf(res)).toEqual({ accepted: true, turn: 2 });
    expect(store.stored.get('conv-fb-1#2')).toMatchObject({ helpful: false, rating: 2 });
    expect(emitted).toEqual([expect.objectContaining({ type: 'feedback', turn: 2, helpful: false })]);
    expect(counts()[Metric.FeedbackNotHelpful]).toBe(1);
  });

  test("GIVEN another identity's conversation WHEN feedback is posted THEN 404 like an unknown conversation, nothing stored", async () => {
    const { store, handler, gate } = setup();
    await gate.admit('conv-fb-2', { principal: 'guest:us-east-1:owner', rateLimited: true });
    store.turns.add('conv-fb-2#1');

    const res = await handler(
      feedbackEvent('conv-fb-2', { turn: 1, helpful: true }, 'us-east-1:someone-else'),
    );

    expect(res.statusCode).toBe(404);
    expect(bodyOf(res)).toEqual({ error: { code: 'NOT_FOUND', message: 'no such conversation' } });
    expect(store.stored.size).toBe(0);
  });

  test('GIVEN feedback already given WHEN a second one arrives THEN 409 naming turn; a turn never answered is 404', async () => {
    const { store, handler } = setup();
    store.turns.add('conv-fb-3#1');
    expect((await handler(feedbackEvent('conv-fb-3', { turn: 1, helpful: true }))).statusCode).toBe(202);
    const again = await handler(feedbackEvent('conv-fb-3', { turn: 1, helpful: false }));
    expect(again.statusCode).toBe(409);
    expect(bodyOf(again)).toMatchObject({ error: { code: 'FEEDBACK_EXISTS', field: 'turn' } });
    expect((await handler(feedbackEvent('conv-fb-3', { turn: 7, helpful: true }))).statusCode).toBe(404);
  });

  test('GIVEN a malformed body WHEN posted THEN 400 naming the field, before the gate is asked', async () => {
    const { handler } = setup();
    const res = await handler(feedbackEvent('conv-fb-4', { turn: 1, helpful: 'yes' }));
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res)).toMatchObject({ error: { code: 'INVALID_HELPFUL', field: 'helpful' } });
  });

  test('GIVEN the store is down WHEN feedback is posted THEN 503 with Retry-After (the client sends it again)', async () => {
    const { store, handler } = setup();
    store.down = true;
    const res = await handler(feedbackEvent('conv-fb-5', { turn: 1, helpful: true }));
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('2');
  });

  test('GIVEN a channel without feedback ports WHEN the route is called THEN it does not exist (404 no such route)', async () => {
    const { metrics } = capturedMetrics();
    const handler = createChannelHandler({
      lex: new LexRuntimeV2Client({
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      }),
      botId: 'B',
      botAliasId: 'A',
      locales: ['en_US'],
      logger: silentLogger(),
      metrics,
      gate: new InMemoryConversationGate({ ratePerSecond: 1, burst: 1, ownerTtlSeconds: 60 }),
    });
    const res = await handler(feedbackEvent('conv-fb-6', { turn: 1, helpful: true }));
    expect(bodyOf(res)).toMatchObject({ error: { code: 'NOT_FOUND', message: 'no such route' } });
  });
});

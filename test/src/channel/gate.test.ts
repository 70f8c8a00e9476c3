/**
 * The channel's gate against a real Redis (127.0.0.1:6379, keys under a unique prefix, deleted
 * after): conversations belong to the identity of their first turn, each Cognito identity has a
 * token bucket, a body userId never overrides a signed-in customer, and the gate fails closed when
 * its Redis is gone (its own redis-server on another port, stopped mid-test).
 */
import { LexRuntimeV2Client, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import Redis from 'ioredis';
import { Metric } from '../../../contracts/metrics';
import { deleteKeysWithPrefix, findExecutable, startChildRedis } from '../../../local/stores/redis';
import { RedisConversationGate } from '../../../src/adapters/redis-conversation-gate';
import { createRedisClient } from '../../../src/adapters/redis-session-store';
import { createChannelHandler, type HttpResult } from '../../../src/channel/create-handler';
import type { ConversationGate } from '../../../src/ports';
import { asCaller, guest, iamPrincipal, signedIn } from '../../helpers/callers';
import { capturedMetrics, silentLogger } from '../fixtures';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `test:gate:${randomUUID()}:`;
const lexMock = mockClient(LexRuntimeV2Client);
const admin = new Redis(REDIS_URL);
const clients: Redis[] = [];

function redisGate(
  opts: { rate?: number; burst?: number; url?: string; prefix?: string } = {},
): RedisConversationGate {
  const redis = createRedisClient({
    url: opts.url ?? REDIS_URL,
    connectTimeoutMs: 500,
    commandTimeoutMs: 2000, // a loaded CI machine is slow, not down
  });
  redis.on('error', () => undefined);
  clients.push(redis);
  return new RedisConversationGate(redis, {
    ratePerSecond: opts.rate ?? 10,
    burst: opts.burst ?? 2,
    ownerTtlSeconds: 120,
    keyPrefix: opts.prefix ?? PREFIX,
  });
}

function channel(gate: ConversationGate) {
  const captured = capturedMetrics();
  const handler = createChannelHandler({
    lex: new LexRuntimeV2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
    botId: 'BOTID12345',
    botAliasId: 'ALIAS12345',
    locales: ['en_US', 'es_US'],
    logger: silentLogger(),
    metrics: captured.metrics,
    gate,
  });
  return { handler, counts: captured.counts };
}

function post(path: string, body: unknown): APIGatewayProxyEventV2 {
  const id = /^\/v1\/conversations\/([^/]+)\/messages$/.exec(path)?.[1];
  return {
    version: '2.0',
    routeKey: 'POST /v1/conversations/{conversationId}/messages',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '1.2.3.4', userAgent: 'jest' },
      requestId: 'r1',
      routeKey: 'x',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    ...(id ? { pathParameters: { conversationId: id } } : {}),
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const turn = (conversationId: string, body: Record<string, unknown> = { text: 'hi' }) =>
  post(`/v1/conversations/${conversationId}/messages`, body);
const lexCalls = () => lexMock.commandCalls(RecognizeTextCommand).map((c) => c.args[0].input);

beforeEach(() => {
  lexMock.reset();
  lexMock.on(RecognizeTextCommand).resolves({
    messages: [{ contentType: 'PlainText', content: 'Your order ABC-123456 ships today.' }],
    sessionState: {
      dialogAction: { type: 'Close' },
      intent: { name: 'CheckOrderStatus', state: 'Fulfilled' },
    },
  });
});

afterAll(async () => {
  await deleteKeysWithPrefix(admin, PREFIX);
  admin.disconnect();
  for (const c of clients) c.disconnect();
});

describe('conversations belong to their owner', () => {
  test("GIVEN a guest's conversation WHEN another guest posts to it THEN 404 NOT_FOUND shaped like an unknown route, nothing of the conversation, and Lex is not called", async () => {
    const { handler, counts } = channel(redisGate());
    const id = `conv-${randomUUID()}`;
    const owner = guest('us-east-1:aaaaaaaa-0000-0000-0000-00000000000a');
    const other = guest('us-east-1:aaaaaaaa-0000-0000-0000-00000000000b');
    expect((await handler(asCaller(turn(id), owner))).statusCode).toBe(200);
    lexMock.resetHistory();

    const refused = await handler(asCaller(turn(id, { text: 'what did you tell them?' }), other));
    const unknownRoute = await handler(asCaller(post('/v1/nothing-here', {}), other));

    expect(refused.statusCode).toBe(404);
    expect(refused.body).toBe('{"error":{"code":"NOT_FOUND","message":"no such conversation"}}');
    expect(refused.headers).toEqual(unknownRoute.headers);
    expect(Object.keys(JSON.parse(refused.body).error)).toEqual(
      Object.keys(JSON.parse(unknownRoute.body).error),
    );
    expect(refused.body).not.toMatch(/ABC-123456|aaaaaaaa|conv-/);
    expect(lexCalls()).toEqual([]);
    expect(counts()[Metric.ChannelOwnerMismatch]).toBe(1);
    // the owner carries on
    expect((await handler(asCaller(turn(id), owner))).statusCode).toBe(200);
  });

  test('GIVEN an IAM principal (the load-test role) owns a conversation WHEN a guest posts to it THEN 404; another IAM principal too', async () => {
    const { handler } = channel(redisGate());
    const id = `conv-${randomUUID()}`;
    expect((await handler(asCaller(turn(id), iamPrincipal()))).statusCode).toBe(200);

    expect((await handler(asCaller(turn(id), guest()))).statusCode).toBe(404);
    const otherRole = iamPrincipal('arn:aws:sts::123456789012:assumed-role/OtherRole/session');
    expect((await handler(asCaller(turn(id), otherRole))).statusCode).toBe(404);
  });

  test('GIVEN a signed-in customer WHEN they continue their conversation from another device (new identity id, same user) THEN it is still theirs', async () => {
    const { handler } = channel(redisGate());
    const id = `conv-${randomUUID()}`;
    const sub = randomUUID();
    expect((await handler(asCaller(turn(id), signedIn(sub, 'us-east-1:device-one')))).statusCode).toBe(200);

    expect((await handler(asCaller(turn(id), signedIn(sub, 'us-east-1:device-two')))).statusCode).toBe(200);
    expect((await handler(asCaller(turn(id), signedIn(randomUUID())))).statusCode).toBe(404);
  });
});

describe('the signed-in identity is the user', () => {
  test('GIVEN a signed-in customer WHEN the body claims another userId THEN Lex gets the user pool sub; a guest and an IAM principal pass their body userId as an unverified label', async () => {
    const { handler } = channel(redisGate());
    const sub = '9a8b7c6d-0000-4000-8000-123412341234';

    await handler(
      asCaller(turn(`conv-${randomUUID()}`, { text: 'hi', userId: 'victim-user' }), signedIn(sub)),
    );
    await handler(asCaller(turn(`conv-${randomUUID()}`, { text: 'hi' }), signedIn(sub)));
    // a guest of its own: the other tests' guest may have spent its bucket a moment ago
    const visitor = guest('us-east-1:aaaaaaaa-0000-0000-0000-00000000beef');
    await handler(asCaller(turn(`conv-${randomUUID()}`, { text: 'hi', userId: 'site-visitor-7' }), visitor));
    await handler(
      asCaller(turn(`conv-${randomUUID()}`, { text: 'hi', userId: 'lt-user-1' }), iamPrincipal()),
    );
    await handler(asCaller(turn(`conv-${randomUUID()}`, { text: 'hi' }), visitor));

    expect(lexCalls().map((c) => c.requestAttributes)).toEqual([
      { channel: 'web', audio: 'false', callerType: 'user', userId: sub },
      { channel: 'web', audio: 'false', callerType: 'user', userId: sub },
      { channel: 'web', audio: 'false', callerType: 'guest', userId: 'site-visitor-7' },
      { channel: 'web', audio: 'false', callerType: 'iam', userId: 'lt-user-1' },
      { channel: 'web', audio: 'false', callerType: 'guest' },
    ]);
  });
});

describe('per-identity rate limit', () => {
  test('GIVEN a burst of 2 WHEN a guest sends a third turn at once THEN 429 RATE_LIMITED with Retry-After from the bucket, and after waiting that long the turn passes', async () => {
    const { handler, counts } = channel(redisGate({ rate: 10, burst: 2 }));
    const who = guest(`us-east-1:${randomUUID()}`);
    const id = `conv-${randomUUID()}`;
    expect((await handler(asCaller(turn(id), who))).statusCode).toBe(200);
    expect((await handler(asCaller(turn(id), who))).statusCode).toBe(200);
    lexMock.resetHistory();

    const limited = await handler(asCaller(turn(id), who));

    expect(limited.statusCode).toBe(429);
    expect(JSON.parse(limited.body)).toEqual({
      error: { code: 'RATE_LIMITED', message: 'too many messages from this caller, retry later' },
    });
    expect(limited.headers?.['retry-after']).toBe('1'); // 1 token at 10/s: 100 ms, whole seconds up
    expect(lexCalls()).toEqual([]);
    expect(counts()[Metric.ChannelRateLimited]).toBe(1);
    expect(counts()[Metric.ChannelThrottled]).toBeUndefined(); // not Lex throttling

    await new Promise((r) => setTimeout(r, Number(limited.headers?.['retry-after']) * 1000));
    expect((await handler(asCaller(turn(id), who))).statusCode).toBe(200);
  });

  test('GIVEN one token per 4 seconds WHEN the bucket is empty THEN Retry-After counts the seconds to the next token', async () => {
    const { handler } = channel(redisGate({ rate: 0.25, burst: 1 }));
    const who = guest(`us-east-1:${randomUUID()}`);
    expect((await handler(asCaller(turn(`conv-${randomUUID()}`), who))).statusCode).toBe(200);

    const limited = await handler(asCaller(turn(`conv-${randomUUID()}`), who));

    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThanOrEqual(3);
    expect(Number(limited.headers?.['retry-after'])).toBeLessThanOrEqual(4);
  });

  test("GIVEN one guest's empty bucket WHEN another guest and the IAM load-test role post THEN they are not limited by it (the role has no bucket)", async () => {
    const { handler } = channel(redisGate({ rate: 0.1, burst: 1 }));
    const noisy = guest(`us-east-1:${randomUUID()}`);
    await handler(asCaller(turn(`conv-${randomUUID()}`), noisy));
    expect((await handler(asCaller(turn(`conv-${randomUUID()}`), noisy))).statusCode).toBe(429);

    expect(
      (await handler(asCaller(turn(`conv-${randomUUID()}`), guest(`us-east-1:${randomUUID()}`)))).statusCode,
    ).toBe(200);
    const role = iamPrincipal(`arn:aws:sts::123456789012:assumed-role/LoadTestInvokerRole/${randomUUID()}`);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await handler(asCaller(turn(`conv-${randomUUID()}`), role))).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('what the gate keeps in Redis', () => {
  test('GIVEN turns of a guest WHEN the keys are listed THEN they name hashes only (no identity, no conversation id) and every one expires', async () => {
    const prefix = `${PREFIX}keys:`;
    const { handler } = channel(redisGate({ prefix }));
    const identityId = `us-east-1:${randomUUID()}`;
    const id = `conv-${randomUUID()}`;
    await handler(asCaller(turn(id), guest(identityId)));

    const keys = (await admin.keys(`${prefix}*`)).sort();
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(/^.*gate:\{[0-9a-f]{32}\}:(bucket|owner)$/);
      expect(key).not.toContain(identityId);
      expect(key).not.toContain(id);
      expect(await admin.pttl(key)).toBeGreaterThan(0);
    }
    const owner = keys.find((k) => k.endsWith(':owner'))!;
    expect(await admin.ttl(owner)).toBeGreaterThan(100); // ownerTtlSeconds 120
    expect(await admin.get(owner)).toMatch(/^[0-9a-f]{64}$/); // the owner's hash, not the owner
  });
});

const redisServer = findExecutable('redis-server');
(redisServer ? describe : describe.skip)('when its Redis is gone', () => {
  test('GIVEN the gate on its own redis-server WHEN that server stops THEN turns are refused 503 UNAVAILABLE with Retry-After (fails closed), Lex is not called, and it is counted', async () => {
    const server = await startChildRedis(redisServer!, tmpdir());
    try {
      const { handler, counts } = channel(redisGate({ url: server.url }));
      const id = `conv-${randomUUID()}`;
      expect((await handler(asCaller(turn(id), guest()))).statusCode).toBe(200);
      await server.stop();
      lexMock.resetHistory();

      const res: HttpResult = await handler(asCaller(turn(id), guest()));

      expect(res.statusCode).toBe(503);
      expect(JSON.parse(res.body)).toEqual({
        error: { code: 'UNAVAILABLE', message: 'the service is temporarily unavailable' },
      });
      expect(res.headers?.['retry-after']).toBe('2');
      expect(lexCalls()).toEqual([]);
      expect(counts()[Metric.ChannelGateUnavailable]).toBe(1);
      expect(counts()[Metric.ChannelServerErrors]).toBe(1);
      expect(counts()[Metric.ChannelThrottled]).toBeUndefined();
    } finally {
      await server.stop();
    }
  });
});

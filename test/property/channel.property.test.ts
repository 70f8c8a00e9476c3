/**
 * Property: whatever request reaches the channel handler, the answer is a 200 carrying the
 * contract or a 4xx with `{ error: { code, message } }`; never a 5xx while Lex is healthy.
 * 10,000 generated requests in total.
 */
import type { LexRuntimeV2Client, RecognizeTextResponse } from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import * as v from 'valibot';
import { InMemoryConversationGate } from '../../local/adapters/memory-conversation-gate';
import { createChannelHandler } from '../../src/channel/create-handler';
import { iamPrincipal } from '../helpers/callers';
import { capturedMetrics, silentLogger } from '../src/fixtures';
import { hostileString, hostileValue } from './hostile-inputs';

const answer: RecognizeTextResponse = {
  messages: [{ contentType: 'PlainText', content: 'Hello!' }],
  sessionState: {
    dialogAction: { type: 'Close' },
    intent: { name: 'Greeting', state: 'Fulfilled', slots: {} },
    sessionAttributes: {},
  },
  interpretations: [{ intent: { name: 'Greeting' }, nluConfidence: { score: 0.9 } }],
};

const calls: unknown[] = [];
const lex = {
  send: async (command: { input: unknown }) => {
    calls.push(command.input);
    return answer;
  },
} as unknown as LexRuntimeV2Client;

const handler = createChannelHandler({
  lex,
  botId: 'BOTID12345',
  botAliasId: 'ALIAS12345',
  locales: ['en_US', 'es_US'],
  logger: silentLogger(),
  metrics: capturedMetrics().metrics,
  // one IAM caller (no token bucket) owning every generated conversation
  gate: new InMemoryConversationGate({ ratePerSecond: 1, burst: 1, ownerTtlSeconds: 60 }),
});

const ContractSchema = v.object({
  conversationId: v.pipe(v.string(), v.regex(/^[0-9a-zA-Z._:-]{2,100}$/)),
  messages: v.array(v.object({ contentType: v.string(), content: v.string() })),
  intent: v.object({
    name: v.nullable(v.string()),
    state: v.nullable(v.string()),
    confidence: v.nullable(v.number()),
  }),
  // valibot's record() would take an array (as { 0: ... }); the contract's slots are an object
  slots: v.pipe(
    v.custom<unknown>((s) => !Array.isArray(s)),
    v.record(v.string(), v.nullable(v.string())),
  ),
  sentiment: v.nullable(v.string()),
  language: v.string(),
  audioUrl: v.optional(v.string()),
});
const HealthSchema = v.object({ status: v.literal('ok') });
const ErrorSchema = v.object({
  error: v.object({ code: v.string(), message: v.string(), field: v.optional(v.string()) }),
});

async function assertContract(event: unknown): Promise<void> {
  const res = await handler(event as APIGatewayProxyEventV2);
  const body: unknown = JSON.parse(res.body);
  if (res.statusCode === 200) {
    const ok = v.is(ContractSchema, body) || v.is(HealthSchema, body);
    if (!ok) throw new Error(`200 without the contract: ${res.body}`);
    return;
  }
  if (res.statusCode < 400 || res.statusCode >= 500) throw new Error(`status ${res.statusCode}: ${res.body}`);
  if (!v.is(ErrorSchema, body)) throw new Error(`4xx without an error body: ${res.body}`);
}

const goodBody = fc.record(
  {
    text: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 50 }) }, hostileString),
    locale: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('en_US', 'es_US') }, hostileValue),
    userId: fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:@-]{1,20}$/) }, hostileValue),
    channel: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('web', 'voice', 'sms') }, hostileValue),
    audio: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, hostileValue),
    extra: hostileValue,
  },
  { requiredKeys: ['text'] },
);

const body = fc.oneof(
  { weight: 5, arbitrary: goodBody.map((b) => JSON.stringify(b)) },
  goodBody.map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  hostileString,
  fc.constant(undefined),
);

const safeEncode = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s; // lone surrogates: sent raw, as a broken client might
  }
};

const path = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .oneof(fc.stringMatching(/^[0-9a-zA-Z._:-]{2,100}$/), hostileString)
      .map((id) => `/v1/conversations/${safeEncode(id)}/messages`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/v1/health',
      '/',
      '/v1/conversations//messages',
      '/v1/conversations/a/b/messages',
    ),
  },
  { weight: 1, arbitrary: hostileString },
);

const httpEvent = fc
  .record({
    method: fc.oneof(
      { weight: 5, arbitrary: fc.constant('POST') },
      fc.constantFrom('GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'),
      hostileString,
    ),
    path,
    body,
    base64: fc.boolean(),
    pathParam: fc.option(hostileString, { freq: 5 }),
  })
  .map(({ method, path: p, body: b, base64, pathParam }) => ({
    version: '2.0',
    rawPath: p,
    requestContext: { http: { method, path: p }, authorizer: { iam: iamPrincipal() } },
    ...(pathParam !== null ? { pathParameters: { conversationId: pathParam } } : {}),
    ...(b === undefined ? {} : { body: base64 ? Buffer.from(b).toString('base64') : b }),
    isBase64Encoded: base64,
  }));

const params = (numRuns: number) => ({ numRuns, seed: Number(process.env.FC_SEED ?? 20250101) });

describe('channel handler under hostile requests (fast-check)', () => {
  test('GIVEN any generated HTTP API v2 request WHEN handled THEN 200 with the contract or a 4xx error body (8,000 runs)', async () => {
    await fc.assert(fc.asyncProperty(httpEvent, assertContract), params(8000));
    // The generator does reach Lex (valid requests are part of the mix), so 200s were checked too.
    expect(calls.length).toBeGreaterThan(100);
  });

  test('GIVEN any generated JS value as the event WHEN handled THEN a 4xx, never a crash (2,000 runs)', async () => {
    await fc.assert(fc.asyncProperty(fc.anything({ maxDepth: 3 }), assertContract), params(2000));
  });
});

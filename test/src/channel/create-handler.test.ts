import {
  ConflictException,
  DependencyFailedException,
  LexRuntimeV2Client,
  RecognizeTextCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createChannelHandler, type HttpResult } from '../../../src/channel/create-handler';
import { Metric } from '../../../contracts/metrics';
import { InMemoryConversationGate } from '../../../local/adapters/memory-conversation-gate';
import { asCaller, iamPrincipal } from '../../helpers/callers';
import { capturedMetrics, silentLogger } from '../fixtures';

const lexMock = mockClient(LexRuntimeV2Client);

/** A request as API Gateway passes it on after IAM auth (the load-test role's, by default). */
function httpEvent(
  opts: { method?: string; path?: string; body?: unknown; raw?: string; base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  return asCaller(unauthenticatedEvent(opts), iamPrincipal());
}

function unauthenticatedEvent(
  opts: { method?: string; path?: string; body?: unknown; raw?: string; base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  const path = opts.path ?? '/v1/conversations/conv-123/messages';
  const match = /^\/v1\/conversations\/([^/]*)\/messages$/.exec(path);
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  return {
    version: '2.0',
    routeKey: match ? 'POST /v1/conversations/{conversationId}/messages' : `GET ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: {
        method: opts.method ?? 'POST',
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '1.2.3.4',
        userAgent: 'jest',
      },
      requestId: 'r1',
      routeKey: 'x',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    ...(match ? { pathParameters: { conversationId: decodeURIComponent(match[1]) } } : {}),
    ...(body === undefined ? {} : { body: opts.base64 ? Buffer.from(body).toString('base64') : body }),
    isBase64Encoded: opts.base64 ?? false,
  };
}

const channelMetrics = capturedMetrics();
const handler = createChannelHandler({
  lex: new LexRuntimeV2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  }),
  botId: 'BOTID12345',
  botAliasId: 'ALIAS12345',
  locales: ['en_US', 'es_US'],
  logger: silentLogger(),
  metrics: channelMetrics.metrics,
  // the gate's behaviour is test/src/channel/gate.test.ts's (real Redis); here it admits the one caller
  gate: new InMemoryConversationGate({ ratePerSecond: 1, burst: 1, ownerTtlSeconds: 60 }),
});

const bodyOf = (res: HttpResult) => JSON.parse(res.body) as Record<string, unknown>;

const lexAnswer = {
  sessionId: 'conv-123',
  messages: [{ contentType: 'PlainText' as const, content: 'Order ABC-123456 is on its way.' }],
  sessionState: {
    dialogAction: { type: 'Close' as const },
    intent: {
      name: 'CheckOrderStatus',
      state: 'Fulfilled' as const,
      confirmationState: 'None' as const,
      slots: {
        OrderNumber: {
          value: { originalValue: 'abc-123456', interpretedValue: 'ABC-123456', resolvedValues: [] },
        },
      },
    },
    sessionAttributes: { sentiment: 'NEUTRAL', language: 'en', turn: '2' },
  },
  interpretations: [
    { intent: { name: 'CheckOrderStatus', slots: {} }, nluConfidence: { score: 0.91 } },
    { intent: { name: 'FallbackIntent', slots: {} } },
  ],
};

beforeEach(() => lexMock.reset());

describe('channel handler: the happy path', () => {
  test('GIVEN a valid message WHEN posted THEN RecognizeText is called with the conversation as session and the contract is returned', async () => {
    lexMock.on(RecognizeTextCommand).resolves(lexAnswer);

    const res = await handler(
      httpEvent({
        body: { text: '  where is my order ABC-123456 ', locale: 'en_US', userId: 'u-1', channel: 'web' },
      }),
    );

    expect(res.statusCode).toBe(200);
    expect(lexMock).toHaveReceivedCommandWith(RecognizeTextCommand, {
      botId: 'BOTID12345',
      botAliasId: 'ALIAS12345',
      localeId: 'en_US',
      sessionId: 'conv-123',
      text: 'where is my order ABC-123456',
      requestAttributes: { channel: 'web', userId: 'u-1', audio: 'false', callerType: 'iam' },
    });
    expect(bodyOf(res)).toEqual({
      conversationId: 'conv-123',
      messages: [{ contentType: 'PlainText', content: 'Order ABC-123456 is on its way.' }],
      intent: { name: 'CheckOrderStatus', state: 'Fulfilled', confidence: 0.91 },
      slots: { OrderNumber: 'ABC-123456' },
      sentiment: 'NEUTRAL',
      language: 'en',
      turn: 2,
      source: 'intent',
      citations: [],
      quickReplies: [],
    });
  });

  test('GIVEN an answer with its metadata attributes and a response card WHEN answered THEN source, citations, ticket and quick replies pass through and malformed ones are dropped', async () => {
    const citation = { title: 'Returns', link: '/kb/en_US/returns.md', snippet: 'Return within 30 days.' };
    lexMock.on(RecognizeTextCommand).resolves({
      ...lexAnswer,
      messages: [
        { contentType: 'PlainText', content: 'You can return it within 30 days.' },
        {
          contentType: 'ImageResponseCard',
          imageResponseCard: {
            title: 'Anything else?',
            buttons: [{ text: 'Talk to a person', value: 'talk to an agent' }, { text: 'No value' } as never],
          },
        },
      ],
      sessionState: {
        ...lexAnswer.sessionState,
        sessionAttributes: {
          turn: '3',
          answerSource: 'knowledge',
          citations: JSON.stringify([citation, { title: 'no link' }]),
          ticketRef: 'T-8F3K2Q',
        },
      },
    });

    const body = bodyOf(await handler(httpEvent({ body: { text: 'returns?', locale: 'en_US' } })));

    expect(body).toMatchObject({
      turn: 3,
      source: 'knowledge',
      citations: [citation],
      quickReplies: [{ text: 'Talk to a person', value: 'talk to an agent' }],
      ticket: { reference: 'T-8F3K2Q' },
      messages: [{ contentType: 'PlainText', content: 'You can return it within 30 days.' }],
    });
  });

  test('GIVEN unknown source and unparsable citations WHEN answered THEN source is intent and citations empty', async () => {
    lexMock.on(RecognizeTextCommand).resolves({
      ...lexAnswer,
      sessionState: {
        ...lexAnswer.sessionState,
        sessionAttributes: { answerSource: 'made-up', citations: '{not json', ticketRef: '' },
      },
    });

    const body = bodyOf(await handler(httpEvent({ body: { text: 'x', locale: 'en_US' } })));

    expect(body).toMatchObject({ source: 'intent', citations: [], turn: null });
    expect(body).not.toHaveProperty('ticket');
  });

  test('GIVEN a voice request WHEN answered with an audio URL THEN audioUrl is in the response', async () => {
    lexMock.on(RecognizeTextCommand).resolves({
      ...lexAnswer,
      sessionState: {
        ...lexAnswer.sessionState,
        sessionAttributes: { audioUrl: 'https://a.example/x.mp3', language: 'es' },
      },
    });

    const res = await handler(httpEvent({ body: { text: 'hola', locale: 'es_US', audio: true } }));

    expect(lexMock).toHaveReceivedCommandWith(RecognizeTextCommand, {
      localeId: 'es_US',
      requestAttributes: { channel: 'web', audio: 'true', callerType: 'iam' },
    });
    expect(bodyOf(res)).toMatchObject({
      audioUrl: 'https://a.example/x.mp3',
      language: 'es',
      sentiment: null,
    });
  });

  test('GIVEN no locale WHEN posted THEN the first configured locale is used; a base64 body is decoded', async () => {
    lexMock.on(RecognizeTextCommand).resolves(lexAnswer);

    const res = await handler(httpEvent({ body: { text: 'hi' }, base64: true }));

    expect(res.statusCode).toBe(200);
    expect(lexMock).toHaveReceivedCommandWith(RecognizeTextCommand, { localeId: 'en_US', text: 'hi' });
  });

  test('GIVEN a message without a caller identity (never behind the IAM authoriser) WHEN posted THEN 403 and Lex is not called', async () => {
    const res = await handler(unauthenticatedEvent({ body: { text: 'hi' } }));

    expect(res.statusCode).toBe(403);
    expect(bodyOf(res)).toEqual({
      error: { code: 'FORBIDDEN', message: 'the request carries no caller identity' },
    });
    expect(lexMock).not.toHaveReceivedCommand(RecognizeTextCommand);
  });

  test('GIVEN GET /v1/health WHEN called THEN 200 ok without calling Lex', async () => {
    const res = await handler(httpEvent({ method: 'GET', path: '/v1/health' }));

    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual({ status: 'ok' });
    expect(lexMock).toHaveReceivedCommandTimes(RecognizeTextCommand, 0);
  });
});

describe('channel handler: client mistakes are 4xx naming the field', () => {
  test.each([
    ['empty text', 400, 'text', { body: { text: '   ' } }],
    ['missing text', 400, 'text', { body: { locale: 'en_US' } }],
    ['text that is not a string', 400, 'text', { body: { text: 42 } }],
    ['text over 1,024 characters', 400, 'text', { body: { text: 'a'.repeat(1025) } }],
    ['2,000 characters', 400, 'text', { body: { text: 'b'.repeat(2000) } }],
    ['unknown locale', 400, 'locale', { body: { text: 'hi', locale: 'fr_FR' } }],
    ['malformed JSON', 400, 'body', { raw: '{"text": "hi"' }],
    ['a JSON array', 400, 'body', { raw: '[1,2]' }],
    ['no body', 400, 'body', {}],
    ['a huge body', 413, 'body', { raw: JSON.stringify({ text: 'x', pad: 'y'.repeat(20_000) }) }],
    ['a bad channel', 400, 'channel', { body: { text: 'hi', channel: 'web chat!' } }],
    ['a bad userId', 400, 'userId', { body: { text: 'hi', userId: 'a b' } }],
    ['a non-boolean audio', 400, 'audio', { body: { text: 'hi', audio: 'yes' } }],
    [
      'a bad conversation id',
      400,
      'conversationId',
      { path: '/v1/conversations/a%20b%7D/messages', body: { text: 'hi' } },
    ],
    [
      'a too short conversation id',
      400,
      'conversationId',
      { path: '/v1/conversations/a/messages', body: { text: 'hi' } },
    ],
  ])('GIVEN %s WHEN posted THEN %i naming %s', async (_, status, field, opts) => {
    const res = await handler(httpEvent(opts));

    expect(res.statusCode).toBe(status);
    expect(bodyOf(res)).toEqual({ error: { code: expect.any(String), message: expect.any(String), field } });
    expect(lexMock).toHaveReceivedCommandTimes(RecognizeTextCommand, 0);
  });

  test('GIVEN exactly 1,024 characters WHEN posted THEN it is accepted', async () => {
    lexMock.on(RecognizeTextCommand).resolves(lexAnswer);
    const res = await handler(httpEvent({ body: { text: 'ñ'.repeat(1024) } }));
    expect(res.statusCode).toBe(200);
  });

  test('GIVEN characters outside the BMP WHEN posted THEN each counts once (code points, as Lex counts)', async () => {
    lexMock.on(RecognizeTextCommand).resolves(lexAnswer);
    const ok = await handler(httpEvent({ body: { text: 'a'.repeat(1023) + '😀' } }));
    expect(ok.statusCode).toBe(200);
    expect(lexMock.commandCalls(RecognizeTextCommand).at(-1)!.args[0].input.text).toBe(
      'a'.repeat(1023) + '😀',
    );

    const over = await handler(httpEvent({ body: { text: '😀'.repeat(1025) } }));
    expect(over.statusCode).toBe(400);
    expect(bodyOf(over)).toMatchObject({ error: { code: 'TEXT_TOO_LONG', field: 'text' } });
  });

  test.each([
    ['an unknown route', 404, { path: '/v1/other', method: 'GET' }],
    ['GET on messages', 405, { method: 'GET' }],
    ['POST on health', 405, { path: '/v1/health', method: 'POST' }],
  ])('GIVEN %s WHEN called THEN %i', async (_, status, opts) => {
    expect((await handler(httpEvent(opts))).statusCode).toBe(status);
  });
});

describe('channel handler: Lex failures', () => {
  test.each([
    [
      'ThrottlingException',
      429,
      '1',
      new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
    ],
    [
      'DependencyFailedException',
      503,
      '2',
      new DependencyFailedException({ message: 'lambda failed', $metadata: { httpStatusCode: 424 } }),
    ],
    ['a timeout', 503, '2', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    [
      'a refused connection',
      503,
      '2',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    [
      'ConflictException',
      409,
      '1',
      new ConflictException({ message: 'busy', $metadata: { httpStatusCode: 409 } }),
    ],
  ])(
    'GIVEN Lex answering %s WHEN posted THEN %i with Retry-After %s',
    async (_, status, retryAfter, error) => {
      lexMock.on(RecognizeTextCommand).rejects(error);

      const res = await handler(httpEvent({ body: { text: 'hi' } }));

      expect(res.statusCode).toBe(status);
      expect(res.headers?.['retry-after']).toBe(retryAfter);
    },
  );

  test('GIVEN a Lex ValidationException WHEN posted THEN 400', async () => {
    lexMock
      .on(RecognizeTextCommand)
      .rejects(new ValidationException({ message: 'bad', $metadata: { httpStatusCode: 400 } }));

    const res = await handler(httpEvent({ body: { text: 'hi' } }));

    expect(res.statusCode).toBe(400);
  });

  test('GIVEN an access-denied misconfiguration WHEN posted THEN 502 (our fault, not the client, not a 500)', async () => {
    lexMock.on(RecognizeTextCommand).rejects(
      Object.assign(new Error('denied'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );

    expect((await handler(httpEvent({ body: { text: 'hi' } }))).statusCode).toBe(502);
  });
});

describe('channel handler: metrics', () => {
  test('GIVEN a 200, a client mistake and a throttled Lex WHEN handled THEN each is counted by outcome with its latency', async () => {
    const before = channelMetrics.counts();
    const delta = (name: string) => (channelMetrics.counts()[name] ?? 0) - (before[name] ?? 0);
    lexMock.on(RecognizeTextCommand).resolves(lexAnswer);
    await handler(httpEvent({ body: { text: 'hi' } }));
    await handler(httpEvent({ body: { text: '' } }));
    lexMock
      .on(RecognizeTextCommand)
      .rejects(new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }));
    await handler(httpEvent({ body: { text: 'hi' } }));

    expect(delta(Metric.ChannelRequests)).toBe(3);
    expect(delta(Metric.ChannelClientErrors)).toBe(1);
    expect(delta(Metric.ChannelThrottled)).toBe(1);
    expect(delta(Metric.ChannelServerErrors)).toBe(0);
    expect(channelMetrics.metrics.addMetric).toHaveBeenCalledWith(
      Metric.ChannelLatency,
      'Milliseconds',
      expect.any(Number),
    );
  });
});

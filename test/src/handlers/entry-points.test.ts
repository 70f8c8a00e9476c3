/**
 * The Lambda entry points themselves: environment read through the helpers, clients built at
 * module scope, the factories wired. AWS calls are mocked.
 */
import { LexRuntimeV2Client, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer } from 'node:net';
import * as v from 'valibot';
import type { AddressInfo } from 'node:net';
import { ChannelEnv, FulfillmentEnv } from '../../../contracts/runtime-env';
import { LexV2ResponseSchema } from '../../../src/lex/response';
import { guest } from '../../helpers/callers';
import { lexEvent } from '../fixtures';

const ORIGINAL_ENV = { ...process.env };
afterEach(() => {
  process.env = { ...ORIGINAL_ENV };
  jest.resetModules();
});

const quietStdout = () => jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

/**
 * What an SDK client's `config.requestHandler` is: the SDK's HTTP/1.1 NodeHttpHandler (as
 * src/adapters/http.ts gives every client) or anything else, e.g. a default HTTP/2 handler.
 */
const handlerKind = (requestHandler: unknown, http1: abstract new (...args: never[]) => unknown): string =>
  requestHandler instanceof http1 ? 'HTTP/1.1' : String((requestHandler as object)?.constructor?.name);

describe('src/handlers/channel.ts', () => {
  test('GIVEN the channel env WHEN a message is posted THEN the gate (Redis from the env) admits it and RecognizeText runs on the configured bot and alias', async () => {
    const lex = mockClient(LexRuntimeV2Client);
    lex
      .on(RecognizeTextCommand)
      .resolves({ messages: [{ contentType: 'PlainText', content: 'hi' }], sessionState: {} });
    const prefix = `test:entry:${process.pid}:${Date.now()}:`;
    Object.assign(process.env, {
      [ChannelEnv.BOT_ID]: 'BOTID12345',
      [ChannelEnv.BOT_ALIAS_ID]: 'ALIAS12345',
      [ChannelEnv.BOT_LOCALES]: 'en_US,es_US',
      [ChannelEnv.REDIS_URL]: 'redis://127.0.0.1:6379',
      [ChannelEnv.GATE_KEY_PREFIX]: prefix,
      [ChannelEnv.RATE_PER_IDENTITY]: '1',
      [ChannelEnv.BURST_PER_IDENTITY]: '1',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    quietStdout();
    const { handler } = await import('../../../src/handlers/channel');
    const event = (id: string) =>
      ({
        rawPath: `/v1/conversations/${id}/messages`,
        requestContext: { http: { method: 'POST' }, authorizer: { iam: guest() } },
        pathParameters: { conversationId: id },
        body: JSON.stringify({ text: 'hello', locale: 'es_US' }),
      }) as unknown as APIGatewayProxyEventV2;

    const res = await handler(event('conv-1'));
    const second = await handler(event('conv-2')); // burst 1: the env's bucket applies

    expect(res.statusCode).toBe(200);
    expect(second.statusCode).toBe(429);
    expect(lex).toHaveReceivedCommandTimes(RecognizeTextCommand, 1);
    expect(lex).toHaveReceivedCommandWith(RecognizeTextCommand, {
      botId: 'BOTID12345',
      botAliasId: 'ALIAS12345',
      localeId: 'es_US',
      sessionId: 'conv-1',
    });
    lex.restore();
    const { default: Redis } = await import('ioredis');
    const { deleteKeysWithPrefix } = await import('../../../local/stores/redis');
    const admin = new Redis('redis://127.0.0.1:6379');
    await deleteKeysWithPrefix(admin, prefix);
    admin.disconnect();
  });

  test('GIVEN no Redis in the channel env WHEN a message is posted THEN it fails naming the variable (a deployment error)', async () => {
    Object.assign(process.env, {
      [ChannelEnv.BOT_ID]: 'B',
      [ChannelEnv.BOT_ALIAS_ID]: 'A',
      AWS_REGION: 'us-east-1',
    });
    delete process.env[ChannelEnv.REDIS_URL];
    delete process.env[ChannelEnv.REDIS_HOST];
    quietStdout();
    const { handler } = await import('../../../src/handlers/channel');

    await expect(
      handler({
        rawPath: '/v1/health',
        requestContext: { http: { method: 'GET' } },
      } as unknown as APIGatewayProxyEventV2),
    ).rejects.toThrow(`environment variable ${ChannelEnv.REDIS_HOST} is not set`);
  });

  test('GIVEN LEX_ENDPOINT_URL WHEN the module loads THEN its Lex client targets that endpoint over HTTP/1.1', async () => {
    Object.assign(process.env, { LEX_ENDPOINT_URL: 'http://127.0.0.1:3999', AWS_REGION: 'us-east-1' });
    const seen: string[] = [];
    // Record the resolved endpoint of the request the client would send.
    const { LexRuntimeV2Client: Client } = await import('@aws-sdk/client-lex-runtime-v2');
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    const spy = jest.spyOn(Client.prototype, 'send').mockImplementation(async function (
      this: InstanceType<typeof Client>,
    ) {
      const endpoint = await this.config.endpoint?.();
      seen.push(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`);
      seen.push(handlerKind(this.config.requestHandler, NodeHttpHandler));
      return {};
    });
    Object.assign(process.env, {
      [ChannelEnv.BOT_ID]: 'B',
      [ChannelEnv.BOT_ALIAS_ID]: 'A',
      [ChannelEnv.REDIS_URL]: 'redis://127.0.0.1:6379',
      [ChannelEnv.GATE_KEY_PREFIX]: `test:entry:${process.pid}:${Date.now()}:`,
    });
    quietStdout();
    const { handler } = await import('../../../src/handlers/channel');

    await handler({
      rawPath: '/v1/conversations/conv-1/messages',
      requestContext: { http: { method: 'POST' }, authorizer: { iam: guest() } },
      body: JSON.stringify({ text: 'hi' }),
    } as unknown as APIGatewayProxyEventV2);

    expect(seen).toEqual(['http://127.0.0.1:3999', 'HTTP/1.1']);
    spy.mockRestore();
    const { default: Redis } = await import('ioredis');
    const { deleteKeysWithPrefix } = await import('../../../local/stores/redis');
    const admin = new Redis('redis://127.0.0.1:6379');
    await deleteKeysWithPrefix(admin, process.env[ChannelEnv.GATE_KEY_PREFIX]!);
    admin.disconnect();
  });

  test('GIVEN a missing bot id WHEN invoked THEN it fails naming the variable (a deployment error, not a client one)', async () => {
    Object.assign(process.env, { AWS_REGION: 'us-east-1' });
    delete process.env[ChannelEnv.BOT_ID];
    quietStdout();
    const { handler } = await import('../../../src/handlers/channel');

    await expect(
      handler({
        rawPath: '/v1/health',
        requestContext: { http: { method: 'GET' } },
      } as unknown as APIGatewayProxyEventV2),
    ).rejects.toThrow(`environment variable ${ChannelEnv.BOT_ID} is not set`);
  });
});

describe('src/handlers/fulfillment.ts', () => {
  /** The fulfillment env, with REDIS_URL on a loopback port nothing listens on. */
  async function setFulfillmentEnvRedisUnreachable(): Promise<void> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const closedPort = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    Object.assign(process.env, {
      [FulfillmentEnv.TABLE_NAME]: 'conversations',
      [FulfillmentEnv.STREAM_NAME]: 'events',
      [FulfillmentEnv.REDIS_URL]: `redis://127.0.0.1:${closedPort}`,
      [FulfillmentEnv.REDIS_TLS]: 'false',
      [FulfillmentEnv.DEPENDENCY_TIMEOUT_MS]: '300',
      [FulfillmentEnv.TTL_DAYS]: '2',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  }

  test('GIVEN the fulfillment env and Redis unreachable WHEN a Lex event arrives THEN it answers, writes the turn and the event', async () => {
    // Modules are reset between tests: take the SDK classes from the registry the handler will use.
    const { ComprehendClient, DetectSentimentCommand } = await import('@aws-sdk/client-comprehend');
    const { KinesisClient, PutRecordsCommand } = await import('@aws-sdk/client-kinesis');
    const { DynamoDBDocumentClient, PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const ddb = mockClient(DynamoDBDocumentClient);
    const kinesis = mockClient(KinesisClient);
    const comprehend = mockClient(ComprehendClient);
    ddb.on(PutCommand).resolves({});
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] });
    comprehend
      .on(DetectSentimentCommand)
      .resolves({ Sentiment: 'POSITIVE', SentimentScore: { Positive: 0.9 } });
    await setFulfillmentEnvRedisUnreachable();
    const out = quietStdout();
    const { handler, shutdown } = await import('../../../src/handlers/fulfillment');

    const res = await handler(lexEvent({ intent: 'Greeting', text: 'hello' })).finally(shutdown);

    expect(v.safeParse(LexV2ResponseSchema, res).success).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'conversations',
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
    expect(kinesis).toHaveReceivedCommandWith(PutRecordsCommand, { StreamName: 'events' });
    expect(comprehend).toHaveReceivedCommandWith(DetectSentimentCommand, { LanguageCode: 'en' });
    // EMF on stdout: the namespace and the degraded counter.
    const emf = out.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"_aws"'));
    expect(emf.join('\n')).toContain('ConversationalPlatform');
    expect(emf.join('\n')).toContain('SessionStoreUnavailable');
    for (const m of [ddb, kinesis, comprehend]) m.restore();
  });

  test('GIVEN the fulfillment env WHEN a turn calls DynamoDB, Kinesis and Comprehend THEN each client speaks HTTP/1.1', async () => {
    const { ComprehendClient } = await import('@aws-sdk/client-comprehend');
    const { KinesisClient } = await import('@aws-sdk/client-kinesis');
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    // Each client answers as the service would, noting its request handler.
    const seen: Record<string, string> = {};
    const answer = <C extends { config: { requestHandler: unknown } }>(
      name: string,
      Client: { prototype: C & { send: (...args: never[]) => unknown } },
      output: unknown,
    ) =>
      jest.spyOn(Client.prototype, 'send').mockImplementation(async function (this: C) {
        seen[name] = handlerKind(this.config.requestHandler, NodeHttpHandler);
        return output;
      } as never);
    const spies = [
      answer('dynamodb', DynamoDBDocumentClient, {}),
      answer('kinesis', KinesisClient, { FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] }),
      answer('comprehend', ComprehendClient, { Sentiment: 'NEUTRAL', SentimentScore: { Neutral: 0.9 } }),
    ];
    await setFulfillmentEnvRedisUnreachable();
    quietStdout();
    const { handler, shutdown } = await import('../../../src/handlers/fulfillment');

    await handler(lexEvent({ intent: 'Greeting', text: 'hello' })).finally(shutdown);

    expect(seen).toEqual({ dynamodb: 'HTTP/1.1', kinesis: 'HTTP/1.1', comprehend: 'HTTP/1.1' });
    for (const spy of spies) spy.mockRestore();
  });

  test('GIVEN the knowledge env WHEN a question no intent covers arrives THEN the configured knowledge base, model and guardrail answer it over HTTP/1.1, with citations', async () => {
    const { BedrockAgentRuntimeClient } = await import('@aws-sdk/client-bedrock-agent-runtime');
    const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
    const { KinesisClient } = await import('@aws-sdk/client-kinesis');
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const { ComprehendClient } = await import('@aws-sdk/client-comprehend');
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    const sent: Record<string, { input: unknown; handler: string }> = {};
    const answer = <C extends { config: { requestHandler: unknown } }>(
      name: string,
      Client: { prototype: C & { send: (...args: never[]) => unknown } },
      output: unknown,
    ) =>
      jest.spyOn(Client.prototype, 'send').mockImplementation(async function (this: C, command: never) {
        sent[name] = {
          input: (command as { input: unknown }).input,
          handler: handlerKind(this.config.requestHandler, NodeHttpHandler),
        };
        return output;
      } as never);
    const uri = 's3://documents/es_US/reembolsos.md';
    const spies = [
      answer('dynamodb', DynamoDBDocumentClient, {}),
      answer('kinesis', KinesisClient, { FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] }),
      answer('comprehend', ComprehendClient, { Languages: [{ LanguageCode: 'es', Score: 0.99 }] }),
      answer('retrieve', BedrockAgentRuntimeClient, {
        retrievalResults: [
          {
            content: { text: 'El reembolso tarda 5 días.' },
            score: 0.9,
            metadata: { 'x-amz-bedrock-kb-source-uri': uri },
          },
        ],
      }),
      answer('converse', BedrockRuntimeClient, {
        stopReason: 'end_turn',
        output: { message: { role: 'assistant', content: [{ text: 'Tarda 5 días hábiles.' }] } },
      }),
    ];
    await setFulfillmentEnvRedisUnreachable();
    Object.assign(process.env, {
      [FulfillmentEnv.KNOWLEDGE_BASE_IDS]: '{"en_US":"KBEN123456","es_US":"KBES123456"}',
      [FulfillmentEnv.KNOWLEDGE_MODEL_ID]: 'us.amazon.nova-lite-v1:0',
      [FulfillmentEnv.GUARDRAIL_ID]: 'gr123',
      [FulfillmentEnv.GUARDRAIL_VERSION]: '4',
      [FulfillmentEnv.KNOWLEDGE_DOCUMENTS_URL]: 'https://chat.example.com/docs',
    });
    quietStdout();
    const { handler, shutdown } = await import('../../../src/handlers/fulfillment');

    const res = await handler(
      lexEvent({ intent: 'FallbackIntent', locale: 'es_US', text: '¿cuánto tarda el reembolso?' }),
    ).finally(shutdown);

    expect(v.safeParse(LexV2ResponseSchema, res).success).toBe(true);
    expect(res.messages).toEqual([{ contentType: 'PlainText', content: 'Tarda 5 días hábiles.' }]);
    expect(JSON.parse(res.sessionState.sessionAttributes!.citations!)).toEqual([
      {
        title: 'Reembolsos',
        link: 'https://chat.example.com/docs/es_US/reembolsos.md',
        snippet: 'El reembolso tarda 5 días.',
      },
    ]);
    expect(sent.retrieve).toEqual({
      input: expect.objectContaining({
        knowledgeBaseId: 'KBES123456',
        guardrailConfiguration: { guardrailId: 'gr123', guardrailVersion: '4' },
      }),
      handler: 'HTTP/1.1',
    });
    expect(sent.converse).toEqual({
      input: expect.objectContaining({
        modelId: 'us.amazon.nova-lite-v1:0',
        guardrailConfig: { guardrailIdentifier: 'gr123', guardrailVersion: '4', trace: 'enabled' },
      }),
      handler: 'HTTP/1.1',
    });
    for (const spy of spies) spy.mockRestore();
  });

  test('GIVEN knowledge base ids that are not JSON WHEN the module loads THEN it fails naming the variable', async () => {
    await setFulfillmentEnvRedisUnreachable();
    Object.assign(process.env, { [FulfillmentEnv.KNOWLEDGE_BASE_IDS]: 'KBEN123456' });

    await expect(import('../../../src/handlers/fulfillment')).rejects.toThrow(
      'environment variable KNOWLEDGE_BASE_IDS is not JSON',
    );
  });

  test('GIVEN an order source in the env WHEN an order turn arrives THEN the token is read from its secret and the answer is what the order system said', async () => {
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const { KinesisClient, PutRecordsCommand } = await import('@aws-sdk/client-kinesis');
    const { DynamoDBDocumentClient, PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const secrets = mockClient(SecretsManagerClient);
    const ddb = mockClient(DynamoDBDocumentClient);
    const kinesis = mockClient(KinesisClient);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: 'order-token' }) });
    ddb.on(PutCommand).resolves({});
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1' }] });
    const fetched: { url: string; auth: string | null }[] = [];
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      fetched.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      return new Response(JSON.stringify({ status: 'delivered' }), { status: 200 });
    });
    await setFulfillmentEnvRedisUnreachable();
    Object.assign(process.env, {
      [FulfillmentEnv.ORDER_SOURCE_URL]: 'https://orders.example.com/api',
      [FulfillmentEnv.ORDER_SOURCE_SECRET_ARN]:
        'arn:aws:secretsmanager:us-east-1:111111111111:secret:orders-AbCdEf',
      [FulfillmentEnv.ORDER_TIMEOUT_MS]: '900',
    });
    quietStdout();
    const { handler, shutdown } = await import('../../../src/handlers/fulfillment');
    const { scalar } = await import('../fixtures');

    const res = await handler(
      lexEvent({
        source: 'DialogCodeHook',
        intent: 'CheckOrderStatus',
        slots: { OrderNumber: scalar('12345') },
      }),
    ).finally(shutdown);

    expect(res.messages?.map((m) => m.content)).toEqual(['Order 12345 was delivered.']);
    expect(fetched).toEqual([
      { url: 'https://orders.example.com/api/orders/12345', auth: 'Bearer order-token' },
    ]);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:orders-AbCdEf',
    });
    fetchSpy.mockRestore();
    for (const m of [secrets, ddb, kinesis]) m.restore();
  });
});

import {
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectSentimentCommand,
} from '@aws-sdk/client-comprehend';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { PollyClient, SynthesizeSpeechCommand } from '@aws-sdk/client-polly';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TranslateClient, TranslateTextCommand } from '@aws-sdk/client-translate';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ComprehendLanguageDetector,
  ComprehendSentimentAnalyzer,
  type ComprehendModule,
  lazyComprehend,
  truncateUtf8,
} from '../../../src/adapters/comprehend';
import { DeferredKnowledgeBase } from '../../../src/adapters/deferred-knowledge-base';
import { DeferredSessionStore } from '../../../src/adapters/deferred-session-store';
import { DynamoContextStore } from '../../../src/adapters/dynamo-context-store';
import { KinesisEventSink } from '../../../src/adapters/kinesis-event-sink';
import { PollySpeechSynthesizer } from '../../../src/adapters/polly-speech';
import { cachedSecret } from '../../../src/adapters/secrets';
import { AwsTranslator, type TranslateModule } from '../../../src/adapters/translate';
import { EventDeliveryError } from '../../../src/fulfillment/errors';
import type { ConversationEvent, TurnRecord } from '../../../src/ports';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };
const region = 'us-east-1';

const record: TurnRecord = {
  conversationId: 'conv-1',
  turn: 3,
  intent: 'Greeting',
  slots: {},
  sentiment: 'NEUTRAL',
  language: 'en',
  locale: 'en_US',
  channel: 'web',
  latencyMs: 12,
  timestamp: '2025-01-01T00:00:00.000Z',
};

describe('DynamoContextStore', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => ddb.reset());
  const store = () =>
    new DynamoContextStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region, credentials })), {
      tableName: 'conversations',
      ttlDays: 7,
      now: () => Date.parse('2025-01-01T00:00:00Z'),
    });

  test('GIVEN a turn WHEN put THEN one conditional item with the key schema and expiresAt = now + ttlDays', async () => {
    ddb.on(PutCommand).resolves({});

    await expect(store().putTurn(record)).resolves.toBe('written');

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'conversations',
      Item: expect.objectContaining({
        conversationId: 'conv-1',
        turn: 3,
        intent: 'Greeting',
        expiresAt: Date.parse('2025-01-01T00:00:00Z') / 1000 + 7 * 86_400,
      }),
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'conversationId' },
    });
  });

  test('GIVEN the turn already exists WHEN put THEN duplicate (a retried invocation)', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    await expect(store().putTurn(record)).resolves.toBe('duplicate');
  });

  test('GIVEN DynamoDB throttles WHEN put THEN the error propagates (the handler degrades)', async () => {
    ddb
      .on(PutCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow', $metadata: {} }));

    await expect(store().putTurn(record)).rejects.toThrow('slow');
  });

  test('GIVEN a bad ttlDays WHEN constructed THEN it throws', () => {
    expect(
      () =>
        new DynamoContextStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region })), {
          tableName: 't',
          ttlDays: 0,
        }),
    ).toThrow('ttlDays');
  });
});

describe('Comprehend adapters', () => {
  const comprehend = mockClient(ComprehendClient);
  beforeEach(() => comprehend.reset());
  const comprehendSource = () => lazyComprehend((mod) => new mod.ComprehendClient({ region, credentials }));

  test('GIVEN two adapters on one source WHEN both are used twice THEN the chunk is loaded and the client built once', async () => {
    comprehend
      .on(DetectSentimentCommand)
      .resolves({ Sentiment: 'POSITIVE', SentimentScore: { Positive: 0.9 } });
    comprehend
      .on(DetectDominantLanguageCommand)
      .resolves({ Languages: [{ LanguageCode: 'en', Score: 0.99 }] });
    const mod = await import('../../../src/chunks/comprehend');
    const load = jest.fn(async () => mod);
    const build = jest.fn((m: ComprehendModule) => new m.ComprehendClient({ region, credentials }));
    const source = lazyComprehend(build, load);
    const sentiment = new ComprehendSentimentAnalyzer(source);
    const language = new ComprehendLanguageDetector(source);

    await Promise.all([sentiment.detect('great', 'en'), language.detect('great')]);
    await Promise.all([sentiment.detect('great', 'en'), language.detect('great')]);

    expect(load).toHaveBeenCalledTimes(1);
    expect(build).toHaveBeenCalledTimes(1);
  });

  test('GIVEN the chunk fails to load once WHEN detected again THEN the next call loads it and succeeds', async () => {
    comprehend
      .on(DetectSentimentCommand)
      .resolves({ Sentiment: 'NEUTRAL', SentimentScore: { Neutral: 0.8 } });
    const mod = await import('../../../src/chunks/comprehend');
    const load = jest
      .fn<Promise<ComprehendModule>, []>()
      .mockRejectedValueOnce(new Error('ENOENT comprehend.js'))
      .mockResolvedValue(mod);
    const sentiment = new ComprehendSentimentAnalyzer(
      lazyComprehend((m) => new m.ComprehendClient({ region, credentials }), load),
    );

    await expect(sentiment.detect('ok', 'en')).rejects.toThrow('ENOENT');
    await expect(sentiment.detect('ok', 'en')).resolves.toEqual({ label: 'NEUTRAL', score: 0.8 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  test('GIVEN Spanish text WHEN sentiment detected THEN DetectSentiment is called in that language and mapped', async () => {
    comprehend.on(DetectSentimentCommand).resolves({
      Sentiment: 'NEGATIVE',
      SentimentScore: { Negative: 0.87, Positive: 0.01, Neutral: 0.1, Mixed: 0.02 },
    });

    const s = await new ComprehendSentimentAnalyzer(comprehendSource()).detect('esto es terrible', 'es');

    expect(s).toEqual({ label: 'NEGATIVE', score: 0.87 });
    expect(comprehend).toHaveReceivedCommandWith(DetectSentimentCommand, {
      Text: 'esto es terrible',
      LanguageCode: 'es',
    });
  });

  test('GIVEN Comprehend throttles WHEN sentiment detected THEN it rejects', async () => {
    comprehend
      .on(DetectSentimentCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(new ComprehendSentimentAnalyzer(comprehendSource()).detect('x', 'en')).rejects.toThrow(
      'Rate exceeded',
    );
  });

  test('GIVEN several languages WHEN the dominant one is detected THEN the best score wins', async () => {
    comprehend.on(DetectDominantLanguageCommand).resolves({
      Languages: [
        { LanguageCode: 'es', Score: 0.2 },
        { LanguageCode: 'fr', Score: 0.79 },
      ],
    });

    const lang = await new ComprehendLanguageDetector(comprehendSource()).detect('bonjour');

    expect(lang).toEqual({ languageCode: 'fr', score: 0.79 });
  });

  test('GIVEN text above 5,000 bytes WHEN truncated THEN it fits and stays valid UTF-8', () => {
    const out = truncateUtf8('ñ'.repeat(5000));
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(4900);
    expect(out).toMatch(/^ñ+$/);
  });
});

describe('AwsTranslator', () => {
  const translate = mockClient(TranslateClient);
  beforeEach(() => translate.reset());

  test('GIVEN text WHEN translated THEN TranslateText is called with the languages, the client built once', async () => {
    translate
      .on(TranslateTextCommand)
      .resolves({ TranslatedText: 'hello', SourceLanguageCode: 'fr', TargetLanguageCode: 'en' });
    const build = jest.fn((mod: TranslateModule) => new mod.TranslateClient({ region, credentials }));
    const translator = new AwsTranslator(build);

    await expect(translator.translate('bonjour', 'fr', 'en')).resolves.toBe('hello');
    await translator.translate('salut', 'fr', 'en');

    expect(build).toHaveBeenCalledTimes(1);
    expect(translate).toHaveReceivedCommandWith(TranslateTextCommand, {
      Text: 'bonjour',
      SourceLanguageCode: 'fr',
      TargetLanguageCode: 'en',
    });
  });

  test('GIVEN the same source and target WHEN translated THEN no call is made', async () => {
    const build = jest.fn();
    await expect(new AwsTranslator(build).translate('hola', 'es', 'es')).resolves.toBe('hola');
    expect(build).not.toHaveBeenCalled();
  });
});

describe('PollySpeechSynthesizer', () => {
  const polly = mockClient(PollyClient);
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    polly.reset();
    s3.reset();
  });
  const synthesizer = () =>
    new PollySpeechSynthesizer(
      {
        polly: (mod) => new mod.PollyClient({ region, credentials }),
        s3: (mod) => new mod.S3Client({ region, credentials }),
      },
      { bucketName: 'audio-bucket', voices: { en_US: 'Joanna', es_US: 'Lupe' }, urlExpiresInSeconds: 300 },
    );

  test('GIVEN a Spanish answer WHEN synthesized THEN the neural Lupe voice, an MP3 in the bucket and a presigned GET URL', async () => {
    // The SDK's streaming body, reduced to the method the adapter uses.
    const stream = { transformToByteArray: async () => new Uint8Array(Buffer.from('ID3fake-mp3')) } as never;
    polly.on(SynthesizeSpeechCommand).resolves({ AudioStream: stream, ContentType: 'audio/mpeg' });
    s3.on(PutObjectCommand).resolves({});

    const { audioUrl } = await synthesizer().synthesize('Hola', 'es_US', 'conv-1/2');

    expect(polly).toHaveReceivedCommandWith(SynthesizeSpeechCommand, {
      Text: 'Hola',
      VoiceId: 'Lupe',
      Engine: 'neural',
      OutputFormat: 'mp3',
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'audio-bucket',
      Key: 'audio/conv-1/2.mp3',
      ContentType: 'audio/mpeg',
    });
    const url = new URL(audioUrl);
    expect(url.pathname).toBe('/audio/conv-1/2.mp3');
    expect(url.hostname).toContain('audio-bucket');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('GIVEN a key with path traversal WHEN synthesized THEN it is refused before any call', async () => {
    await expect(synthesizer().synthesize('x', 'en_US', '../etc/passwd')).rejects.toThrow('unsafe');
    expect(polly).toHaveReceivedCommandTimes(SynthesizeSpeechCommand, 0);
  });

  test('GIVEN Polly throttles WHEN synthesized THEN it rejects and nothing is written', async () => {
    polly
      .on(SynthesizeSpeechCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    await expect(synthesizer().synthesize('Hi', 'en_US', 'c/1')).rejects.toThrow('throttled');
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 0);
  });
});

describe('KinesisEventSink', () => {
  const kinesis = mockClient(KinesisClient);
  beforeEach(() => kinesis.reset());
  const event = (turn: number): ConversationEvent => ({
    schemaVersion: 1,
    conversationId: 'conv-9',
    turn,
    locale: 'en_US',
    language: 'en',
    intent: 'Greeting',
    nluConfidence: 0.9,
    fallback: false,
    sentiment: null,
    channel: 'web',
    inputMode: 'Text',
    escalated: false,
    degraded: [],
    latencyMs: 5,
    timestamp: '2025-01-01T00:00:00.000Z',
  });
  const sink = (onRetry = jest.fn()) =>
    new KinesisEventSink(new KinesisClient({ region, credentials }), {
      streamName: 'events',
      onRetry,
      sleep: async () => undefined,
    });

  test('GIVEN events WHEN put THEN PutRecords with the conversation id as partition key and the JSON event', async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 's' }] });

    await sink().put([event(1)]);

    const input = kinesis.commandCalls(PutRecordsCommand)[0].args[0].input;
    expect(input.StreamName).toBe('events');
    expect(input.Records?.[0].PartitionKey).toBe('conv-9');
    expect(JSON.parse(Buffer.from(input.Records![0].Data!).toString())).toMatchObject({
      schemaVersion: 1,
      turn: 1,
    });
  });

  test('GIVEN a partial failure WHEN put THEN only the failed record is retried and counted', async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({
        FailedRecordCount: 1,
        Records: [{ SequenceNumber: '1' }, { ErrorCode: 'ProvisionedThroughputExceededException' }],
      })
      .resolvesOnce({ FailedRecordCount: 0, Records: [{ SequenceNumber: '2' }] });
    const onRetry = jest.fn();

    await sink(onRetry).put([event(1), event(2)]);

    expect(onRetry).toHaveBeenCalledWith(1);
    const retried = kinesis.commandCalls(PutRecordsCommand)[1].args[0].input.Records!;
    expect(retried).toHaveLength(1);
    expect(JSON.parse(Buffer.from(retried[0].Data!).toString()).turn).toBe(2);
  });

  test('GIVEN records failing on every attempt WHEN put THEN an EventDeliveryError names them after the bounded attempts', async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolves({ FailedRecordCount: 1, Records: [{ ErrorCode: 'InternalFailure' }] });
    const onRetry = jest.fn();

    const err = await sink(onRetry)
      .put([event(4)])
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(EventDeliveryError);
    expect((err as EventDeliveryError).eventIds).toEqual(['conv-9#4']);
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 3);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  test('GIVEN the call itself failing then succeeding WHEN put THEN it is retried and delivered', async () => {
    kinesis
      .on(PutRecordsCommand)
      .rejectsOnce(new Error('socket hang up'))
      .resolves({ FailedRecordCount: 0, Records: [{}] });

    await expect(sink().put([event(1)])).resolves.toBeUndefined();
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 2);
  });
});

describe('cachedSecret', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  test('GIVEN a JSON secret WHEN read twice THEN Secrets Manager is called once and the token returned', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ authToken: 't0ken' }) });
    const get = cachedSecret(new SecretsManagerClient({ region, credentials }), 'arn:secret');

    await expect(get()).resolves.toBe('t0ken');
    await expect(get()).resolves.toBe('t0ken');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  test('GIVEN a failure WHEN read THEN it is not cached and the next read retries', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('denied')).resolves({ SecretString: 'plain-token' });
    const get = cachedSecret(new SecretsManagerClient({ region, credentials }), 'arn:secret');

    await expect(get()).rejects.toThrow('denied');
    await expect(get()).resolves.toBe('plain-token');
  });
});

describe('DeferredSessionStore', () => {
  test('GIVEN a failing build WHEN used twice THEN the build is retried and then used', async () => {
    const inner = { get: jest.fn(async () => undefined), put: jest.fn(async () => undefined) };
    const build = jest.fn().mockRejectedValueOnce(new Error('secret unavailable')).mockResolvedValue(inner);
    const store = new DeferredSessionStore(build);

    await expect(store.get('c')).rejects.toThrow('secret unavailable');
    await expect(store.get('c')).resolves.toBeUndefined();
    await store.get('c');

    expect(build).toHaveBeenCalledTimes(2);
    expect(inner.get).toHaveBeenCalledTimes(2);
  });
});

describe('DeferredKnowledgeBase', () => {
  test('GIVEN no question yet WHEN created THEN nothing is built (the chunk loads on the first question)', () => {
    const build = jest.fn();
    new DeferredKnowledgeBase(build);
    expect(build).not.toHaveBeenCalled();
  });

  test('GIVEN a failing build WHEN asked twice THEN the build is retried, then built once and answers with the same arguments', async () => {
    const answer = { kind: 'no-answer', reason: 'no-passages' } as const;
    const inner = { answer: jest.fn(async () => answer) };
    const build = jest.fn().mockRejectedValueOnce(new Error('chunk failed')).mockResolvedValue(inner);
    const knowledge = new DeferredKnowledgeBase(build);
    const signal = new AbortController().signal;

    await expect(knowledge.answer('battery life?', 'en_US')).rejects.toThrow('chunk failed');
    await expect(knowledge.answer('battery life?', 'en_US', { signal })).resolves.toBe(answer);
    await knowledge.answer('¿batería?', 'es_US');

    expect(build).toHaveBeenCalledTimes(2);
    expect(inner.answer.mock.calls).toEqual([
      ['battery life?', 'en_US', { signal }],
      ['¿batería?', 'es_US', undefined],
    ]);
  });
});

/**
 * The deployed path's event guarantee, end to end through the fulfillment handler with the real
 * KinesisEventSink over a mocked Kinesis client (aws-sdk-client-mock): a PutRecords partial
 * failure is retried (EventsRetried); what still fails after the bounded attempts is counted
 * (EventsFailed) and logged at error by id (conversationId#turn), the turn is still answered,
 * and the turn's DynamoDB item, which holds the same key and most of the same facts, is written
 * (docs/handlers.md, "A lost event").
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { Metric } from '../../../contracts/metrics';
import { KinesisEventSink } from '../../../src/adapters/kinesis-event-sink';
import { createFulfillmentHandler } from '../../../src/fulfillment/create-handler';
import { baseDeps, capturedMetrics, lexEvent } from '../fixtures';

const kinesis = mockClient(KinesisClient);
beforeEach(() => kinesis.reset());

function setup() {
  const { metrics, counts } = capturedMetrics();
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const errors = jest.spyOn(logger, 'error');
  const events = new KinesisEventSink(
    new KinesisClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    {
      streamName: 'events',
      baseDelayMs: 1,
      onRetry: (records) => metrics.addMetric(Metric.EventsRetried, MetricUnit.Count, records),
    },
  );
  const deps = baseDeps({ metrics, logger, events });
  return { deps, counts, errors, handler: createFulfillmentHandler(deps) };
}

const rejected = {
  FailedRecordCount: 1,
  Records: [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' }],
};

test('GIVEN PutRecords rejects the record once WHEN a turn arrives THEN the record is retried and delivered, nothing counted as failed', async () => {
  kinesis
    .on(PutRecordsCommand)
    .resolvesOnce(rejected)
    .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 's' }] });
  const { handler, counts, errors } = setup();

  const res = await handler(lexEvent());

  expect(res.messages?.length).toBeGreaterThan(0);
  expect(kinesis.commandCalls(PutRecordsCommand).length).toBe(2);
  expect(counts()[Metric.EventsRetried]).toBe(1);
  expect(counts()[Metric.EventsFailed]).toBeUndefined();
  expect(errors).not.toHaveBeenCalled();
});

test('GIVEN PutRecords rejects the record on every attempt WHEN a turn arrives THEN it answers, EventsFailed counts it and the error log names it by id; the DynamoDB item holds its facts', async () => {
  kinesis.on(PutRecordsCommand).resolves(rejected);
  const { handler, counts, errors, deps } = setup();

  const res = await handler(lexEvent());

  expect(res.messages?.length).toBeGreaterThan(0);
  expect(kinesis.commandCalls(PutRecordsCommand).length).toBe(3);
  expect(counts()[Metric.EventsRetried]).toBe(2);
  expect(counts()[Metric.EventsFailed]).toBe(1);
  expect(errors).toHaveBeenCalledWith(
    'conversation events not delivered after retries',
    expect.objectContaining({ eventIds: ['conv-test-0001#1'], errorName: 'EventDeliveryError' }),
  );
  const sent = JSON.parse(
    Buffer.from(kinesis.commandCalls(PutRecordsCommand)[2]!.args[0].input.Records![0]!.Data!).toString(),
  ) as Record<string, unknown>;
  const item = deps.context.items.get('conv-test-0001#1') as unknown as Record<string, unknown>;
  for (const key of [
    'conversationId',
    'turn',
    'intent',
    'language',
    'locale',
    'channel',
    'latencyMs',
    'timestamp',
  ])
    expect([key, item[key]]).toEqual([key, sent[key]]);
});

test('GIVEN the PutRecords call itself failing every time WHEN a turn arrives THEN the same: answered, counted, logged by id', async () => {
  kinesis.on(PutRecordsCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
  const { handler, counts, errors } = setup();

  await handler(lexEvent());

  expect(kinesis.commandCalls(PutRecordsCommand).length).toBe(3);
  expect(counts()[Metric.EventsFailed]).toBe(1);
  expect(errors).toHaveBeenCalledWith(
    'conversation events not delivered after retries',
    expect.objectContaining({ eventIds: ['conv-test-0001#1'] }),
  );
});

import {
  BedrockAgentClient,
  ConflictException,
  StartIngestionJobCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-agent';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Metric } from '../../../contracts/metrics';
import { createKnowledgeSyncHandler, describeChanges } from '../../../src/knowledge-sync/create-handler';
import type { DataSources } from '../../../src/knowledge-sync/data-sources';
import { isJobAlreadyRunning } from '../../../src/knowledge-sync/start-ingestion';
import { capturedMetrics, silentLogger } from '../fixtures';

const BUCKET = 'docs-bucket';
const DATA_SOURCES: DataSources = {
  en_US: { knowledgeBaseId: 'KBENUS0001', dataSourceId: 'DSENUS0001' },
  es_US: { knowledgeBaseId: 'KBESUS0001', dataSourceId: 'DSESUS0001' },
};

let n = 0;
/** A queue message carrying the EventBridge event S3 sends for `key`. */
function message(key: string, detailType = 'Object Created', bucket = BUCKET): SQSRecord {
  n += 1;
  return {
    messageId: `msg-${n}`,
    body: JSON.stringify({
      version: '0',
      source: 'aws.s3',
      'detail-type': detailType,
      detail: { bucket: { name: bucket }, object: { key, size: 10 } },
    }),
  } as SQSRecord;
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

function build() {
  const agent = mockClient(BedrockAgentClient);
  const { metrics, counts } = capturedMetrics();
  const logger = silentLogger();
  const logged: Array<[string, unknown]> = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation(((msg: string, extra?: unknown) => {
      logged.push([msg, extra]);
    }) as never);
  }
  const sync = createKnowledgeSyncHandler({
    bedrockAgent: new BedrockAgentClient({ region: 'us-east-1' }),
    bucket: BUCKET,
    dataSources: DATA_SOURCES,
    logger,
    metrics,
  });
  return { agent, counts, logged, sync };
}

afterEach(() => jest.restoreAllMocks());

describe('knowledge sync handler', () => {
  it('GIVEN uploads and a deletion in both locale folders WHEN the batch arrives THEN one ingestion job per locale starts, each job id is logged and counted, nothing is retried', async () => {
    const { agent, counts, logged, sync } = build();
    agent
      .on(StartIngestionJobCommand, { knowledgeBaseId: 'KBENUS0001' })
      .resolves({ ingestionJob: { ingestionJobId: 'JOBEN00001' } as never })
      .on(StartIngestionJobCommand, { knowledgeBaseId: 'KBESUS0001' })
      .resolves({ ingestionJob: { ingestionJobId: 'JOBES00001' } as never });

    const result = await sync(
      batch(
        message('en_US/returns.md'),
        message('en_US/old.md', 'Object Deleted'),
        message('es_US/devoluciones.md'),
      ),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(agent).toHaveReceivedCommandTimes(StartIngestionJobCommand, 2);
    expect(agent).toHaveReceivedCommandWith(StartIngestionJobCommand, {
      knowledgeBaseId: 'KBENUS0001',
      dataSourceId: 'DSENUS0001',
      description: 'sync of en_US/ after 1 upload(s) and 1 deletion(s)',
    });
    expect(agent).toHaveReceivedCommandWith(StartIngestionJobCommand, {
      knowledgeBaseId: 'KBESUS0001',
      dataSourceId: 'DSESUS0001',
    });
    expect(counts()).toEqual({ [Metric.KnowledgeSyncStarted]: 2 });
    const started = logged.filter(([msg]) => msg === 'ingestion job started').map(([, extra]) => extra);
    expect(started).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ locale: 'en_US', changes: 2, ingestionJobId: 'JOBEN00001' }),
        expect.objectContaining({ locale: 'es_US', changes: 1, ingestionJobId: 'JOBES00001' }),
      ]),
    );
    // document keys are not logged (a file name can hold anything)
    expect(JSON.stringify(logged)).not.toMatch(/returns\.md|devoluciones|old\.md/);
  });

  it('GIVEN a job already running for one locale (ConflictException) WHEN the batch arrives THEN that locale is deferred: its messages come back from the queue, the other locale starts', async () => {
    const { agent, counts, sync } = build();
    agent
      .on(StartIngestionJobCommand, { knowledgeBaseId: 'KBENUS0001' })
      .rejects(
        new ConflictException({ message: 'There was a conflict performing an operation.', $metadata: {} }),
      )
      .on(StartIngestionJobCommand, { knowledgeBaseId: 'KBESUS0001' })
      .resolves({ ingestionJob: { ingestionJobId: 'JOBES00002' } as never });
    const en1 = message('en_US/a.md');
    const en2 = message('en_US/b.md', 'Object Deleted');
    const es = message('es_US/a.md');

    const result = await sync(batch(en1, es, en2));

    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: en1.messageId },
      { itemIdentifier: en2.messageId },
    ]);
    expect(counts()).toEqual({ [Metric.KnowledgeSyncDeferred]: 1, [Metric.KnowledgeSyncStarted]: 1 });
  });

  it.each([
    [
      'a ValidationException worded as an ongoing job',
      Metric.KnowledgeSyncDeferred,
      new ValidationException({ message: 'Data source has an ongoing ingestion job', $metadata: {} }),
    ],
    [
      'throttling (0.1 StartIngestionJob per second)',
      Metric.KnowledgeSyncDeferred,
      new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }),
    ],
    [
      'a ValidationException about something else',
      Metric.KnowledgeSyncFailed,
      new ValidationException({ message: 'Invalid data source id', $metadata: {} }),
    ],
    [
      'access denied',
      Metric.KnowledgeSyncFailed,
      Object.assign(new Error('no'), { name: 'AccessDeniedException' }),
    ],
  ])(
    'GIVEN %s WHEN the batch arrives THEN the change is retried from the queue and counted as %s',
    async (_what, metric, error) => {
      const { agent, counts, sync } = build();
      agent.on(StartIngestionJobCommand).rejects(error);
      const msg = message('es_US/faq.md');

      const result = await sync(batch(msg));

      expect(result.batchItemFailures).toEqual([{ itemIdentifier: msg.messageId }]);
      expect(counts()).toEqual({ [metric]: 1 });
    },
  );

  it('GIVEN messages that are not changes of a locale folder of the documents bucket WHEN the batch arrives THEN nothing starts and nothing is retried', async () => {
    const { agent, counts, logged, sync } = build();
    const notJson = { messageId: 'x', body: 'not json' } as SQSRecord;

    const result = await sync(
      batch(
        notJson,
        message('en_US/a.md', 'Object Restore Completed'),
        message('en_US/a.md', 'Object Created', 'other-bucket'),
        message('fr_FR/a.md'),
        message('readme.md'),
      ),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(agent).toHaveReceivedCommandTimes(StartIngestionJobCommand, 0);
    expect(counts()).toEqual({});
    expect(logged).toContainEqual([
      'messages ignored',
      {
        ignored: {
          'not an S3 object event': 2,
          'another bucket': 1,
          'outside the locale folders': 2,
        },
      },
    ]);
  });
});

describe('what counts as a job already running', () => {
  it('GIVEN Bedrock errors WHEN classified THEN a conflict of any wording and a validation error worded as a running job are "already running", nothing else', () => {
    const named = (name: string, message = '') => Object.assign(new Error(message), { name });
    expect(isJobAlreadyRunning(named('ConflictException'))).toBe(true);
    expect(isJobAlreadyRunning(named('ValidationException', 'An ingestion job is already in progress'))).toBe(
      true,
    );
    expect(isJobAlreadyRunning(named('ValidationException', 'knowledgeBaseId is invalid'))).toBe(false);
    expect(isJobAlreadyRunning(named('ThrottlingException', 'ongoing'))).toBe(false);
    expect(isJobAlreadyRunning(undefined)).toBe(false);
  });

  it('GIVEN a batch of uploads only WHEN described THEN the job description counts them', () => {
    const change = { messageId: 'm', kind: 'created' as const, locale: 'en_US' as const };
    expect(describeChanges('en_US', [change, change])).toBe(
      'sync of en_US/ after 2 upload(s) and 0 deletion(s)',
    );
  });
});

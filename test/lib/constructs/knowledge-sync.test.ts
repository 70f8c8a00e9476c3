import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { KNOWLEDGE_SYNC_SERVICE } from '../../../contracts/metrics';
import { KnowledgeSyncEnv } from '../../../contracts/runtime-env';
import { AccessLogsBucket } from '../../../lib/constructs/access-logs-bucket';
import { KnowledgeBase } from '../../../lib/constructs/knowledge-base';
import { KnowledgeDocumentsBucket } from '../../../lib/constructs/knowledge-documents-bucket';
import {
  BATCHING_WINDOW,
  KnowledgeSync,
  MAX_RECEIVE_COUNT,
  RETRY_AFTER,
} from '../../../lib/constructs/knowledge-sync';
import { constructStack } from '../../support/construct-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = constructStack();
  const key = new kms.Key(stack, 'Key');
  const documents = new KnowledgeDocumentsBucket(stack, 'Documents', {
    encryptionKey: key,
    accessLogs: new AccessLogsBucket(stack, 'Logs', {
      logsOf: 'the documents',
      expiration: Duration.days(1),
    }),
    noncurrentVersionDays: 30,
  });
  const knowledgeBase = new KnowledgeBase(stack, 'KnowledgeBase', {
    environmentName: 'test',
    documents,
    encryptionKey: key,
    embeddingModelId: 'amazon.titan-embed-text-v2:0',
    embeddingDimensions: 1024,
    chunking: { maxTokens: 512, overlapPercentage: 10 },
  });
  const sync = new KnowledgeSync(stack, 'Sync', {
    environmentName: 'test',
    documents,
    knowledgeBase,
    encryptionKey: key,
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  return { stack, key, documents, knowledgeBase, sync, t: Template.fromStack(stack) };
}

describe('KnowledgeSync', () => {
  let f: ReturnType<typeof build>;
  beforeAll(() => (f = build()));
  const id = (c: { node: { defaultChild?: unknown } }): string =>
    f.stack.getLogicalId(c.node.defaultChild as never);

  it('GIVEN the documents bucket WHEN synthesized THEN a rule matches objects created or deleted under a locale folder of that bucket, and sends them to the sync queue (dead-lettering what it cannot deliver)', () => {
    const rule = Object.values(f.t.findResources('AWS::Events::Rule'))[0].Properties as Json;
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created', 'Object Deleted'],
      detail: {
        bucket: { name: [{ Ref: id(f.documents) }] },
        object: { key: [{ prefix: 'en_US/' }, { prefix: 'es_US/' }] },
      },
    });
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [id(f.sync.queue), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(f.sync.deadLetterQueue), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
      }),
    ]);
    // EventBridge may send to the queue (for this rule only) and encrypt with the key
    f.t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 'events.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('GIVEN the queues WHEN synthesized THEN both are KMS-encrypted and TLS-only; a change is delivered again after the retry delay and dead-lettered after the maximum receives', () => {
    const queue = f.t.toJSON().Resources[id(f.sync.queue)].Properties as Json;
    expect(queue).toEqual(
      expect.objectContaining({
        KmsMasterKeyId: { 'Fn::GetAtt': [id({ node: { defaultChild: f.key.node.defaultChild } }), 'Arn'] },
        VisibilityTimeout: RETRY_AFTER.toSeconds(),
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [id(f.sync.deadLetterQueue), 'Arn'] },
          maxReceiveCount: MAX_RECEIVE_COUNT,
        },
      }),
    );
    expect(f.t.toJSON().Resources[id(f.sync.deadLetterQueue)].Properties.KmsMasterKeyId).toBeDefined();
    const tlsDenied = Object.values(f.t.findResources('AWS::SQS::QueuePolicy')).filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
    );
    expect(tlsDenied).toHaveLength(2);
  });

  it('GIVEN the sync function WHEN synthesized THEN it reads the queue in debounced batches, reporting the items to retry, at most two at a time', () => {
    f.t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id(f.sync.queue), 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: BATCHING_WINDOW.toSeconds(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(RETRY_AFTER.toSeconds()).toBeGreaterThanOrEqual(6 * 60); // >= 6 x the 60 s function timeout
  });

  it("GIVEN the sync function WHEN synthesized THEN it is told the bucket and each locale's knowledge base and data source, and may start ingestion jobs on those knowledge bases only", () => {
    const fn = Object.values(
      f.t.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Timeout: 60 } }),
    )[0].Properties as Json;
    const env = fn.Environment.Variables;
    expect(env.POWERTOOLS_SERVICE_NAME).toBe(KNOWLEDGE_SYNC_SERVICE);
    expect(env[KnowledgeSyncEnv.DOCUMENTS_BUCKET]).toEqual({ Ref: id(f.documents) });
    const sources = JSON.stringify(f.stack.resolve(env[KnowledgeSyncEnv.DATA_SOURCES]));
    for (const locale of ['en_US', 'es_US'] as const) {
      expect(sources).toContain(f.stack.getLogicalId(f.knowledgeBase.locales[locale].knowledgeBase));
      expect(sources).toContain(f.stack.getLogicalId(f.knowledgeBase.locales[locale].dataSource));
    }
    const statements = Object.values(f.t.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('SyncHandlerServiceRole'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
    const start = statements.find((s) => s.Sid === 'StartIngestionJobs')!;
    expect(start).toEqual(
      expect.objectContaining({
        Action: 'bedrock:StartIngestionJob',
        Resource: (['en_US', 'es_US'] as const).map((l) => ({
          'Fn::GetAtt': [f.stack.getLogicalId(f.knowledgeBase.locales[l].knowledgeBase), 'KnowledgeBaseArn'],
        })),
      }),
    );
    expect(
      statements
        .filter((s) => s.Resource === '*')
        .flatMap((s) => [].concat(s.Action))
        .sort(),
    ).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});

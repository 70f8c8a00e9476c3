/**
 * KnowledgeSync keeps the knowledge bases in sync with the documents bucket, on upload and on
 * delete: S3 (EventBridge notifications) -> an EventBridge rule matching objects created or
 * deleted in the locale folders -> an SQS queue -> the sync function
 * (src/handlers/knowledge-sync.ts), which starts one ingestion job per changed locale.
 *
 * Why a queue between the rule and the function (docs/deployment.md, "Knowledge sync"):
 * - debounce: the event source's batching window gathers an upload of many documents into one
 *   batch, so one job per locale covers them (StartIngestionJob: 0.1 requests per second);
 * - nothing lost when a job is already running: the function returns the locale's messages as
 *   batch item failures, the queue delivers them again after the visibility timeout, and a job
 *   starts after the change (a running job may have listed the folder before it);
 * - failures kept: after `maxReceiveCount` deliveries a message goes to the dead-letter queue
 *   (also the rule's dead-letter queue when EventBridge cannot deliver), which is alarmed.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { absolute, HANDLERS } from '../../bundling/index';
import { LOCALES } from '../../contracts/bot-model/types';
import { KNOWLEDGE_SYNC_SERVICE } from '../../contracts/metrics';
import { KnowledgeSyncEnv } from '../../contracts/runtime-env';
import { acknowledge } from '../nag';
import { KnowledgeBase } from './knowledge-base';
import { KnowledgeDocumentsBucket } from './knowledge-documents-bucket';
import { PlatformFunction } from './platform-function';

export interface KnowledgeSyncProps {
  /** The environment's name (PLATFORM_ENVIRONMENT). */
  readonly environmentName: string;
  readonly documents: KnowledgeDocumentsBucket;
  readonly knowledgeBase: KnowledgeBase;
  /** Encrypts the queues (EventBridge is allowed to use it for them). */
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/** The S3 event types (EventBridge detail-type) that change what a knowledge base should hold. */
export const DOCUMENT_CHANGES = ['Object Created', 'Object Deleted'];

/** How long the function may take: a few StartIngestionJob calls. */
const FUNCTION_TIMEOUT = Duration.seconds(60);
/**
 * How long a deferred change waits before it is delivered again (and at least 6 x the function's
 * timeout, as Lambda's SQS event source recommends): jobs over a few documents take minutes.
 */
export const RETRY_AFTER = Duration.minutes(10);
/** Deliveries before a change is dead-lettered: 36 x 10 minutes = 6 hours of running jobs. */
export const MAX_RECEIVE_COUNT = 36;
/** The debounce: a batch waits this long for more changes (or until 100 messages). */
export const BATCHING_WINDOW = Duration.seconds(60);

/** The sync pipeline (see the file comment). */
export class KnowledgeSync extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly rule: events.Rule;
  readonly handler: PlatformFunction;

  constructor(scope: Construct, id: string, props: KnowledgeSyncProps) {
    super(scope, id);
    const { documents, knowledgeBase, encryptionKey } = props;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'This is the dead-letter queue of the sync queue and of the sync rule: where changes end after their retries; it is alarmed, and has nowhere further to redrive.',
      'Serverless-SQSRedrivePolicy',
    );
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      visibilityTimeout: RETRY_AFTER,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    // EventBridge writes to both KMS-encrypted queues (the DLQ as the rule's dead-letter target).
    encryptionKey.grant(
      new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      'kms:GenerateDataKey',
      'kms:Decrypt',
    );

    this.rule = new events.Rule(this, 'DocumentChanged', {
      description: 'A document was uploaded to or deleted from a locale folder of the documents bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: DOCUMENT_CHANGES,
        detail: {
          bucket: { name: [documents.bucketName] },
          object: { key: LOCALES.map((l) => ({ prefix: documents.prefixes[l] })) },
        },
      },
    });
    this.rule.addTarget(
      new targets.SqsQueue(this.queue, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(24),
      }),
    );

    this.handler = new PlatformFunction(this, 'Handler', {
      entry: absolute(HANDLERS.knowledgeSync.entry),
      chunks: HANDLERS.knowledgeSync.chunks,
      serviceName: KNOWLEDGE_SYNC_SERVICE,
      description: 'Starts a knowledge base ingestion job per locale when documents change',
      memorySize: 256,
      timeout: FUNCTION_TIMEOUT,
      logRetention: props.logRetention,
      noDeadLetterReason:
        'Invoked by its SQS event source only: a failed change stays in the queue, which dead-letters it after the retries (no async invocation to dead-letter).',
      environment: {
        [KnowledgeSyncEnv.ENVIRONMENT]: props.environmentName,
        [KnowledgeSyncEnv.DOCUMENTS_BUCKET]: documents.bucketName,
        [KnowledgeSyncEnv.DATA_SOURCES]: Stack.of(this).toJsonString(knowledgeBase.dataSources),
      },
    });
    this.handler.addEventSource(
      new lambdaEvents.SqsEventSource(this.queue, {
        batchSize: 100,
        maxBatchingWindow: BATCHING_WINDOW,
        reportBatchItemFailures: true,
        maxConcurrency: 2,
      }),
    );
    const mapping = this.handler.node.children.find((c) => c instanceof lambda.EventSourceMapping);
    if (mapping) {
      acknowledge(
        mapping,
        'An SQS event source keeps a failed batch item in its queue, whose redrive policy dead-letters it after the retries; Lambda supports no on-failure destination for SQS sources.',
        'Serverless-LambdaEventSourceMappingDestination',
      );
    }
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartIngestionJobs',
        actions: ['bedrock:StartIngestionJob'],
        resources: LOCALES.map((l) => knowledgeBase.locales[l].knowledgeBaseArn),
      }),
    );
  }
}

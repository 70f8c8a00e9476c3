/**
 * KnowledgeDocumentsBucket owns the bucket of the documents the knowledge bases answer from: one
 * folder per bot locale (`en_US/`, `es_US/`), each the data source of that locale's knowledge
 * base. SSE-KMS with the knowledge key (S3 Bucket Keys on), versioned (a replaced or deleted
 * document can be restored; old versions expire after `noncurrentVersionDays`), public access
 * blocked, TLS only, bucket owner enforced, server access logs to the given bucket, and
 * EventBridge notifications on: every object created or deleted reaches EventBridge, where the
 * knowledge sync rule picks the documents' changes (KnowledgeSync).
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LOCALES, type LocaleId } from '../../contracts/bot-model/types';
import { acknowledge } from '../nag';

export interface KnowledgeDocumentsBucketProps {
  /** The customer-managed key the documents are encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** Where the bucket's server access logs go (under the `documents/` prefix of that bucket). */
  readonly accessLogs: s3.IBucket;
  /** Days a noncurrent (replaced or deleted) version of a document is kept (1+). */
  readonly noncurrentVersionDays: number;
  /**
   * What happens to the bucket when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Empty the bucket when the stack deletes it (needs `RemovalPolicy.DESTROY`).
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
}

/** The prefix of the bucket's access logs in the log bucket. */
export const DOCUMENTS_ACCESS_LOG_PREFIX = 'documents/';

/** The folder of a locale's documents: `en_US/` (the data source's inclusion prefix). */
export const documentsPrefix = (locale: LocaleId): string => `${locale}/`;

/** The documents bucket (see the file comment). */
export class KnowledgeDocumentsBucket extends s3.Bucket {
  /** The folder of each bot locale's documents. */
  readonly prefixes: Readonly<Record<LocaleId, string>>;

  constructor(scope: Construct, id: string, props: KnowledgeDocumentsBucketProps) {
    const days = props.noncurrentVersionDays;
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(
        `documents bucket noncurrentVersionDays must be a whole number of days (1+), got ${days}`,
      );
    }
    super(scope, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true, // one KMS call per bucket key, not per object read by ingestion
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      eventBridgeEnabled: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: DOCUMENTS_ACCESS_LOG_PREFIX,
      lifecycleRules: [
        {
          id: 'ExpireOldVersions',
          noncurrentVersionExpiration: Duration.days(days),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      autoDeleteObjects: props.autoDeleteObjects ?? false,
    });
    this.prefixes = Object.fromEntries(LOCALES.map((l) => [l, documentsPrefix(l)])) as Record<
      LocaleId,
      string
    >;
    this.acknowledgeNotificationsHandler();
  }

  /**
   * `eventBridgeEnabled` is applied by CDK's bucket-notifications custom resource, whose one
   * handler per stack runs with the AWS-managed basic execution role.
   */
  private acknowledgeNotificationsHandler(): void {
    const role = Stack.of(this)
      .node.children.filter((c) => c.node.id.startsWith('BucketNotificationsHandler'))
      .map((c) => c.node.tryFindChild('Role'))
      .find((r) => r !== undefined);
    if (role) {
      acknowledge(
        role,
        "CDK's bucket-notifications handler (turns on the documents bucket's EventBridge notifications at deploy time) uses the AWS-managed basic execution policy: its own logs only.",
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      );
    }
  }
}

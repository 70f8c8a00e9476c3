import { Duration, Size } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { AccessLogsBucket } from '../constructs/access-logs-bucket';
import { logicalIdOf } from '../constructs/logical-ids';
import { acknowledge } from '../nag';
import { PlatformStack, PlatformStackProps } from './platform-stack';

export type AnalyticsStackProps = PlatformStackProps;

/**
 * Where Firehose writes conversation events: Hive-style date partitions (queryable by Athena
 * with partition projection). The local platform writes the same layout (local/).
 */
export const EVENTS_PREFIX =
  'events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/';
export const ERRORS_PREFIX =
  'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/';

/**
 * Conversation analytics: Kinesis Data Stream (KMS) -> Firehose -> S3 (date-partitioned,
 * GZIP, KMS, SSL-only, access-logged, archived then expired).
 */
export class AnalyticsStack extends PlatformStack {
  readonly eventStream: kinesis.IStream;
  readonly deliveryStream: firehose.IDeliveryStream;
  readonly analyticsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const key = new kms.Key(this, 'AnalyticsKey', {
      description: `Conversation events in the stream and the analytics bucket (${props.config.name})`,
      enableKeyRotation: true,
      removalPolicy: this.statefulRemovalPolicy,
    });
    this.eventStream = this.createEventStream(key);
    this.analyticsBucket = this.createAnalyticsBucket(key);
    this.deliveryStream = this.createDelivery(this.eventStream, this.analyticsBucket, key);
  }

  /** The conversation events stream, encrypted with the analytics key; sized from config. */
  private createEventStream(key: kms.IKey): kinesis.Stream {
    const { kinesis: config } = this.config;
    const stream = new kinesis.Stream(this, 'EventStream', {
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: key,
      streamMode: config.mode === 'ON_DEMAND' ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
      shardCount: config.mode === 'PROVISIONED' ? config.shardCount : undefined,
      retentionPeriod: Duration.hours(config.retentionHours),
      removalPolicy: this.statefulRemovalPolicy,
    });
    acknowledge(
      stream,
      'A customer-managed key (not aws/kinesis) so the key policy can grant exactly Firehose and the fulfillment role, and so the same key encrypts the events at rest in S3.',
      'AwsSolutions-KDS3',
    );
    return stream;
  }

  /** The analytics bucket (and the bucket of its access logs): archived, then expired. */
  private createAnalyticsBucket(key: kms.IKey): s3.Bucket {
    const { analytics, removalPolicy } = this.config;
    const accessLogs = new AccessLogsBucket(this, 'AccessLogsBucket', {
      logsOf: 'the analytics bucket',
      expiration: Duration.days(analytics.expireAfterDays),
      removalPolicy: this.statefulRemovalPolicy,
      autoDeleteObjects: removalPolicy === 'destroy',
    });
    return new s3.Bucket(this, 'AnalyticsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'analytics/',
      lifecycleRules: [
        {
          id: 'ArchiveThenExpire',
          transitions: [
            {
              storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(analytics.archiveAfterDays),
            },
          ],
          expiration: Duration.days(analytics.expireAfterDays),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: this.statefulRemovalPolicy,
      autoDeleteObjects: removalPolicy === 'destroy',
    });
  }

  /** Firehose from the stream to the bucket (date partitions, GZIP, the analytics key), with its logs. */
  private createDelivery(
    stream: kinesis.IStream,
    bucket: s3.IBucket,
    key: kms.IKey,
  ): firehose.DeliveryStream {
    const deliveryLogs = new logs.LogGroup(this, 'DeliveryLogs', {
      retention: this.logRetention,
      removalPolicy: this.statefulRemovalPolicy,
    });
    const deliveryStream = new firehose.DeliveryStream(this, 'EventDelivery', {
      source: new firehose.KinesisStreamSource(stream),
      destination: new firehose.S3Bucket(bucket, {
        dataOutputPrefix: EVENTS_PREFIX,
        errorOutputPrefix: ERRORS_PREFIX,
        compression: firehose.Compression.GZIP,
        bufferingInterval: Duration.seconds(300),
        bufferingSize: Size.mebibytes(64),
        encryptionKey: key,
        loggingConfig: new firehose.EnableLogging(deliveryLogs),
      }),
    });
    acknowledge(
      deliveryStream,
      'Firehose does not accept server-side encryption when its source is a Kinesis stream; the source stream is KMS-encrypted and Firehose writes to S3 with the same customer-managed key.',
      'AwsSolutions-KDF1',
    );
    this.acknowledgeDestinationRole(deliveryStream.node.findChild('S3 Destination Role'), bucket);
    return deliveryStream;
  }

  /** The wildcards of Firehose's S3 destination role, which aws-cdk-lib's grants create. */
  private acknowledgeDestinationRole(destinationRole: IConstruct, bucket: s3.IBucket): void {
    acknowledge(
      destinationRole,
      "Firehose's S3 destination grant (aws-cdk-lib bucket.grantReadWrite): object-level actions on this one analytics bucket's objects, which Firehose needs to write and to clean up failed multipart uploads.",
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/*]`,
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
    );
    acknowledge(
      destinationRole,
      'KMS data-key actions on the single analytics key (aws-cdk-lib key grant), needed to write SSE-KMS objects; the resource is that key, not *.',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
    );
  }
}

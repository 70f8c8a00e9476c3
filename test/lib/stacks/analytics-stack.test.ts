import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEV, PROD } from '../../../lib/config/environments';
import { EnvironmentConfig } from '../../../lib/config/types';
import { AnalyticsStack, ERRORS_PREFIX, EVENTS_PREFIX } from '../../../lib/stacks/analytics-stack';
import { testApp } from '../../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Explicit stream sizing, so the assertions do not depend on the capacity model's numbers. */
const PROVISIONED: EnvironmentConfig = {
  ...DEV,
  kinesis: { mode: 'PROVISIONED', shardCount: 3, retentionHours: 48 },
};
const ON_DEMAND: EnvironmentConfig = {
  ...DEV,
  name: 'staging',
  kinesis: { mode: 'ON_DEMAND', retentionHours: 24 },
  removalPolicy: 'retain',
};

const ref = (t: Template, type: string, idPrefix: string): string => {
  const ids = Object.keys(t.findResources(type)).filter((id) => id.startsWith(idPrefix));
  expect(ids).toHaveLength(1);
  return ids[0];
};

describe('AnalyticsStack', () => {
  let devT: Template;
  let prodT: Template;
  let onDemandT: Template;
  let dev: AnalyticsStack;

  beforeAll(() => {
    // GIVEN analytics stacks for a provisioned dev, an on-demand staging, and prod
    const app = testApp({}, { schemaValidation: false });
    dev = new AnalyticsStack(app, 'DevAnalytics', { config: PROVISIONED });
    const onDemand = new AnalyticsStack(app, 'StagingAnalytics', { config: ON_DEMAND });
    const prod = new AnalyticsStack(app, 'ProdAnalytics', { config: PROD });
    // WHEN synthesized
    devT = Template.fromStack(dev);
    onDemandT = Template.fromStack(onDemand);
    prodT = Template.fromStack(prod);
  });

  describe('Kinesis stream', () => {
    it('GIVEN a dev stack WHEN synthesized THEN it is encrypted with the customer-managed analytics key', () => {
      devT.hasResourceProperties('AWS::Kinesis::Stream', {
        StreamEncryption: {
          EncryptionType: 'KMS',
          KeyId: { 'Fn::GetAtt': [ref(devT, 'AWS::KMS::Key', 'AnalyticsKey'), 'Arn'] },
        },
      });
      devT.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('GIVEN provisioned shards and retention in config WHEN synthesized THEN it takes them', () => {
      devT.hasResourceProperties('AWS::Kinesis::Stream', {
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        ShardCount: 3,
        RetentionPeriodHours: 48,
      });
    });

    it('GIVEN an on-demand config WHEN synthesized THEN it runs on demand without a shard count', () => {
      onDemandT.hasResourceProperties('AWS::Kinesis::Stream', {
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        ShardCount: Match.absent(),
        RetentionPeriodHours: 24,
      });
    });

    it('GIVEN a dev stack WHEN synthesized THEN it is exposed for the bot and monitoring stacks', () => {
      expect(dev.resolve(dev.eventStream.streamArn)).toEqual({
        'Fn::GetAtt': [ref(devT, 'AWS::Kinesis::Stream', 'EventStream'), 'Arn'],
      });
    });
  });

  describe('Firehose delivery stream', () => {
    it('GIVEN a dev stack WHEN synthesized THEN it reads from the event stream', () => {
      devT.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: {
          KinesisStreamARN: { 'Fn::GetAtt': [ref(devT, 'AWS::Kinesis::Stream', 'EventStream'), 'Arn'] },
          RoleARN: Match.anyValue(),
        },
      });
    });

    it('GIVEN a dev stack WHEN synthesized THEN it writes date-partitioned, GZIP-compressed, KMS-encrypted objects to the analytics bucket', () => {
      devT.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        ExtendedS3DestinationConfiguration: Match.objectLike({
          BucketARN: { 'Fn::GetAtt': [ref(devT, 'AWS::S3::Bucket', 'AnalyticsBucket'), 'Arn'] },
          Prefix: EVENTS_PREFIX,
          ErrorOutputPrefix: ERRORS_PREFIX,
          CompressionFormat: 'GZIP',
          BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 64 },
          EncryptionConfiguration: {
            KMSEncryptionConfig: {
              AWSKMSKeyARN: { 'Fn::GetAtt': [ref(devT, 'AWS::KMS::Key', 'AnalyticsKey'), 'Arn'] },
            },
          },
          CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
        }),
      });
    });

    it('GIVEN its prefixes WHEN it delivers THEN it partitions by year/month/day/hour and separates errors by output type', () => {
      expect(EVENTS_PREFIX).toMatch(
        /year=!\{timestamp:yyyy\}\/month=!\{timestamp:MM\}\/day=!\{timestamp:dd\}\/hour=!\{timestamp:HH\}\/$/,
      );
      expect(ERRORS_PREFIX).toMatch(/^errors\/!\{firehose:error-output-type\}\//);
    });
  });

  describe('analytics bucket', () => {
    let bucket: Json;
    beforeAll(() => {
      bucket = devT.toJSON().Resources[ref(devT, 'AWS::S3::Bucket', 'AnalyticsBucket')];
    });

    it('GIVEN a dev stack WHEN synthesized THEN it blocks public access and is KMS-encrypted with a bucket key', () => {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [ref(devT, 'AWS::KMS::Key', 'AnalyticsKey'), 'Arn'] },
          },
        },
      ]);
    });

    it('GIVEN a dev stack WHEN synthesized THEN it logs access to the access-log bucket', () => {
      expect(bucket.Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: ref(devT, 'AWS::S3::Bucket', 'AccessLogsBucket') },
        LogFilePrefix: 'analytics/',
      });
    });

    it('GIVEN archive and expiry days in config WHEN synthesized THEN it moves objects to an archive tier, then expires them, as configured', () => {
      for (const [t, config] of [
        [devT, PROVISIONED],
        [prodT, PROD],
      ] as const) {
        t.hasResourceProperties('AWS::S3::Bucket', {
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              Match.objectLike({
                Status: 'Enabled',
                Transitions: [
                  { StorageClass: 'GLACIER_IR', TransitionInDays: config.analytics.archiveAfterDays },
                ],
                ExpirationInDays: config.analytics.expireAfterDays,
              }),
            ]),
          },
        });
      }
    });

    it.each(['AnalyticsBucket', 'AccessLogsBucket'])(
      'GIVEN %s WHEN synthesized THEN it denies every request without TLS',
      (prefix) => {
        devT.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: ref(devT, 'AWS::S3::Bucket', prefix) },
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: 's3:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                Resource: Match.anyValue(),
              },
            ]),
          },
        });
      },
    );

    it('GIVEN the access-log bucket WHEN synthesized THEN only S3 server access logging of the analytics bucket may write to it', () => {
      devT.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: ref(devT, 'AWS::S3::Bucket', 'AccessLogsBucket') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: Match.objectLike({
                ArnLike: {
                  'aws:SourceArn': { 'Fn::GetAtt': [ref(devT, 'AWS::S3::Bucket', 'AnalyticsBucket'), 'Arn'] },
                },
              }),
            }),
          ]),
        },
      });
    });

    it('GIVEN the access-log bucket WHEN synthesized THEN it blocks public access too', () => {
      devT.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: Match.absent(),
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    });
  });

  describe('per environment', () => {
    it('GIVEN a dev stack WHEN it is destroyed THEN buckets (emptying them) and the stream are destroyed with it', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::Kinesis::Stream']) {
        for (const resource of Object.values(devT.findResources(type))) {
          expect(resource.DeletionPolicy).toBe('Delete');
        }
      }
      devT.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    });

    it('GIVEN prod WHEN synthesized THEN buckets, stream and key are retained and never emptied', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::Kinesis::Stream', 'AWS::KMS::Key']) {
        for (const resource of Object.values(prodT.findResources(type))) {
          expect(resource.DeletionPolicy).toBe('Retain');
        }
      }
      prodT.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    });
  });
});

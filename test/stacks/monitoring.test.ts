import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DEV, PROD } from '../../lib/config/environments';
import { EnvironmentConfig } from '../../lib/config/types';
import { MonitoringStack } from '../../lib/stacks/monitoring-stack';
import { ConversationalPlatformStage } from '../../lib/stages/conversational-platform-stage';
import { testApp } from '../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('MonitoringStack', () => {
  let devT: Template;
  let prodT: Template;
  let devStage: ConversationalPlatformStage;

  beforeAll(() => {
    // GIVEN the dev and prod stages (monitoring watches the bot stack too)
    const app = testApp({}, { schemaValidation: false });
    devStage = new ConversationalPlatformStage(app, 'Dev', { config: DEV });
    const prodStage = new ConversationalPlatformStage(app, 'Prod', { config: PROD });
    // WHEN the monitoring stacks are synthesized
    devT = Template.fromStack(devStage.monitoring);
    prodT = Template.fromStack(prodStage.monitoring);
  });

  const topicRef = (t: Template) => ({ Ref: Object.keys(t.findResources('AWS::SNS::Topic'))[0] });
  const alarm = (t: Template, name: string): Json => {
    const found = Object.values(
      t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }),
    ) as Json[];
    expect(found).toHaveLength(1);
    return found[0].Properties;
  };
  const alarmNames = (t: Template): string[] =>
    Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a: Json) => a.Properties.AlarmName);

  describe('alarm topic', () => {
    it('is encrypted with a rotated customer-managed key and denies non-TLS publishing', () => {
      const keyId = Object.keys(devT.findResources('AWS::KMS::Key'))[0];
      devT.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      devT.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      devT.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('lets CloudWatch use the topic key (alarms can publish to the encrypted topic)', () => {
      devT.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
            }),
          ]),
        },
      });
    });

    it('receives ALARM and OK from every alarm', () => {
      const alarms = Object.values(devT.findResources('AWS::CloudWatch::Alarm')) as Json[];
      expect(alarms.length).toBeGreaterThan(10);
      for (const a of alarms) {
        expect(a.Properties.AlarmActions).toEqual([topicRef(devT)]);
        expect(a.Properties.OKActions).toEqual([topicRef(devT)]);
      }
    });
  });

  it('has a dashboard named after the environment', () => {
    devT.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'conversational-platform-dev',
      DashboardBody: Match.anyValue(),
    });
  });

  describe('intent recognition rate', () => {
    it('alarms when recognized turns / all turns falls below the configured minimum', () => {
      for (const [t, config] of [
        [devT, DEV],
        [prodT, PROD],
      ] as const) {
        const props = alarm(t, `conversational-platform-${config.name}-IntentRecognitionRate`);
        expect(props.Threshold).toBe(config.alarms.intentRecognitionRateMin);
        expect(props.ComparisonOperator).toBe('LessThanThreshold');
        const expression = props.Metrics.find((m: Json) => m.Expression);
        expect(expression).toEqual(
          expect.objectContaining({ Expression: 'IF(turns >= 20, recognized / turns, 1)', ReturnData: true }),
        );
        const inputs = Object.fromEntries(
          props.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => [
            m.Id,
            {
              namespace: m.MetricStat.Metric.Namespace,
              name: m.MetricStat.Metric.MetricName,
              stat: m.MetricStat.Stat,
              dimensions: m.MetricStat.Metric.Dimensions,
              returned: m.ReturnData,
            },
          ]),
        );
        const dimensions = [{ Name: 'service', Value: 'fulfillment' }];
        expect(inputs).toEqual({
          recognized: {
            namespace: 'ConversationalPlatform',
            name: 'RecognizedTurns',
            stat: 'Sum',
            dimensions,
            returned: false,
          },
          turns: {
            namespace: 'ConversationalPlatform',
            name: 'Turns',
            stat: 'Sum',
            dimensions,
            returned: false,
          },
        });
      }
      expect(DEV.alarms.intentRecognitionRateMin).not.toBe(PROD.alarms.intentRecognitionRateMin);
    });
  });

  describe('data path alarms', () => {
    it('alarms on DynamoDB throttles (read + write) and on system errors at the configured counts', () => {
      const throttles = alarm(devT, 'conversational-platform-dev-DynamoDbThrottles');
      expect(throttles.Threshold).toBe(DEV.alarms.dynamoThrottles);
      expect(
        throttles.Metrics.map((m: Json) => m.MetricStat?.Metric.MetricName)
          .filter(Boolean)
          .sort(),
      ).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
      expect(alarm(devT, 'conversational-platform-dev-DynamoDbSystemErrors')).toEqual(
        expect.objectContaining({
          Namespace: 'AWS/DynamoDB',
          MetricName: 'SystemErrors',
          Statistic: 'Sum',
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: DEV.alarms.dynamoSystemErrors,
        }),
      );
    });

    it('alarms on CPU, memory and evictions of every Redis node at the configured thresholds', () => {
      const nodes = PROD.redis.replicasPerNodeGroup + 1;
      for (let n = 1; n <= nodes; n++) {
        const dimensions = [{ Name: 'CacheClusterId', Value: `conv-prod-sessions-00${n}` }];
        expect(alarm(prodT, `conversational-platform-prod-RedisCpu${n}`)).toEqual(
          expect.objectContaining({
            MetricName: 'EngineCPUUtilization',
            Dimensions: dimensions,
            Threshold: PROD.alarms.redisCpuPercent,
          }),
        );
        expect(alarm(prodT, `conversational-platform-prod-RedisMemory${n}`)).toEqual(
          expect.objectContaining({
            MetricName: 'DatabaseMemoryUsagePercentage',
            Threshold: PROD.alarms.redisMemoryPercent,
          }),
        );
        expect(alarm(prodT, `conversational-platform-prod-RedisEvictions${n}`)).toEqual(
          expect.objectContaining({ MetricName: 'Evictions', Threshold: PROD.alarms.redisEvictions }),
        );
      }
    });

    it('alarms on replication lag of each prod replica, and not in single-node dev', () => {
      for (let n = 2; n <= PROD.redis.replicasPerNodeGroup + 1; n++) {
        expect(alarm(prodT, `conversational-platform-prod-RedisReplicationLag${n}`)).toEqual(
          expect.objectContaining({
            MetricName: 'ReplicationLag',
            Dimensions: [{ Name: 'CacheClusterId', Value: `conv-prod-sessions-00${n}` }],
            Threshold: PROD.alarms.redisReplicationLagSeconds,
          }),
        );
      }
      expect(alarmNames(devT).filter((n) => n.includes('RedisReplicationLag'))).toEqual([]);
      expect(alarmNames(devT).filter((n) => n.includes('RedisCpu'))).toEqual([
        'conversational-platform-dev-RedisCpu1',
      ]);
    });

    it('alarms on Kinesis iterator age at the configured ms and on failed puts at the configured count', () => {
      expect(alarm(devT, 'conversational-platform-dev-KinesisIteratorAge')).toEqual(
        expect.objectContaining({
          Namespace: 'AWS/Kinesis',
          MetricName: 'GetRecords.IteratorAgeMilliseconds',
          Threshold: DEV.alarms.kinesisIteratorAgeMs,
        }),
      );
      expect(alarm(devT, 'conversational-platform-dev-KinesisPutFailures')).toEqual(
        expect.objectContaining({
          MetricName: 'PutRecords.FailedRecords',
          Statistic: 'Sum',
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: DEV.alarms.kinesisPutFailedRecords,
        }),
      );
    });

    it('alarms on Firehose freshness at the configured seconds and on delivery success below the configured share', () => {
      expect(alarm(devT, 'conversational-platform-dev-FirehoseFreshness')).toEqual(
        expect.objectContaining({
          Namespace: 'AWS/Firehose',
          MetricName: 'DeliveryToS3.DataFreshness',
          Threshold: DEV.alarms.firehoseFreshnessSeconds,
        }),
      );
      expect(alarm(devT, 'conversational-platform-dev-FirehoseDeliveryFailures')).toEqual(
        expect.objectContaining({
          MetricName: 'DeliveryToS3.Success',
          Statistic: 'Average',
          ComparisonOperator: 'LessThanThreshold',
          Threshold: DEV.alarms.firehoseDeliverySuccessMin,
        }),
      );
    });

    it('takes the DynamoDB system-error, Kinesis put-failure and Firehose delivery thresholds from config', () => {
      // GIVEN a dev config with non-default values for the three thresholds
      const config: EnvironmentConfig = {
        ...DEV,
        alarms: {
          ...DEV.alarms,
          dynamoSystemErrors: 3,
          kinesisPutFailedRecords: 25,
          firehoseDeliverySuccessMin: 0.95,
        },
      };
      // WHEN a monitoring stack watches (imported) data-path resources with it
      const app = testApp({}, { schemaValidation: false });
      const deps = new Stack(app, 'Deps', { env: { account: DEV.account, region: DEV.region } });
      const stack = new MonitoringStack(app, 'Monitoring', {
        config,
        conversationTable: dynamodb.TableV2.fromTableName(deps, 'Table', 'conversations'),
        redis: {
          host: 'sessions.example.internal',
          port: 6380,
          authSecret: secretsmanager.Secret.fromSecretNameV2(deps, 'RedisAuth', 'redis-auth'),
          replicationGroupId: 'conv-dev-sessions',
          nodeCount: 1,
        },
        eventStream: kinesis.Stream.fromStreamArn(
          deps,
          'Stream',
          `arn:aws:kinesis:${DEV.region}:${DEV.account}:stream/events`,
        ),
        deliveryStream: firehose.DeliveryStream.fromDeliveryStreamName(deps, 'Delivery', 'events-to-s3'),
      });
      const t = Template.fromStack(stack);
      // THEN each alarm has the configured threshold, not a fixed one
      const thresholds = Object.fromEntries(
        ['DynamoDbSystemErrors', 'KinesisPutFailures', 'FirehoseDeliveryFailures'].map((id) => [
          id,
          alarm(t, `conversational-platform-dev-${id}`).Threshold,
        ]),
      );
      expect(thresholds).toEqual({
        DynamoDbSystemErrors: 3,
        KinesisPutFailures: 25,
        FirehoseDeliveryFailures: 0.95,
      });
    });

    it('watches the resources of its own stage', () => {
      const stream = alarm(devT, 'conversational-platform-dev-KinesisIteratorAge').Dimensions[0].Value;
      expect(JSON.stringify(stream)).toContain('Dev-Analytics');
    });
  });

  describe('bot alarms', () => {
    it('alarms on fulfillment p99 latency and the concurrency limit from config', () => {
      expect(alarm(devT, 'conversational-platform-dev-FulfillmentLatencyP99')).toEqual(
        expect.objectContaining({ ExtendedStatistic: 'p99', Threshold: DEV.alarms.fulfillmentP99Ms }),
      );
      expect(alarm(devT, 'conversational-platform-dev-FulfillmentConcurrencyNearLimit').Threshold).toBe(
        Math.floor(devStage.bot.resources.fulfillmentReservedConcurrency * 0.8),
      );
    });

    it('alarms on API 5xx and p99 latency at the configured thresholds', () => {
      expect(alarm(devT, 'conversational-platform-dev-Api5xx').Threshold).toBe(DEV.alarms.api5xx);
      expect(alarm(devT, 'conversational-platform-dev-ApiLatencyP99').Threshold).toBe(DEV.alarms.apiP99Ms);
    });
  });

  it('never treats missing data as breaching (quiet environments stay OK)', () => {
    devT.allResourcesProperties('AWS::CloudWatch::Alarm', { TreatMissingData: 'notBreaching' });
  });
});

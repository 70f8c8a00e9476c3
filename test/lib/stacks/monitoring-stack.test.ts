import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DEV, PROD } from '../../../lib/config/environments';
import { EnvironmentConfig } from '../../../lib/config/types';
import { MonitoringStack } from '../../../lib/stacks/monitoring-stack';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';

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
    it('GIVEN the dev stage WHEN synthesized THEN it is encrypted with a rotated customer-managed key and denies non-TLS publishing', () => {
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

    it('GIVEN the dev stage WHEN synthesized THEN CloudWatch may use the topic key (alarms can publish to the encrypted topic)', () => {
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

    it('GIVEN the dev stage WHEN synthesized THEN it receives ALARM and OK from every alarm', () => {
      const alarms = Object.values(devT.findResources('AWS::CloudWatch::Alarm')) as Json[];
      expect(alarms.length).toBeGreaterThan(10);
      for (const a of alarms) {
        expect(a.Properties.AlarmActions).toEqual([topicRef(devT)]);
        expect(a.Properties.OKActions).toEqual([topicRef(devT)]);
      }
    });
  });

  it('GIVEN the dev stage WHEN synthesized THEN it has a dashboard named after the environment', () => {
    devT.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'conversational-platform-dev',
      DashboardBody: Match.anyValue(),
    });
  });

  describe('intent recognition rate', () => {
    it('GIVEN a configured minimum per stage WHEN synthesized THEN it alarms when recognized turns / all turns falls below it', () => {
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
    it('GIVEN the dev stage WHEN synthesized THEN it alarms on DynamoDB throttles (read + write) and on system errors at the configured counts', () => {
      const throttles = alarm(devT, 'conversational-platform-dev-DynamoDbThrottles');
      expect(throttles.Threshold).toBe(DEV.alarms.dynamoThrottles);
      expect(
        throttles.Metrics.map((m: Json) => m.MetricStat?.Metric.MetricName)
          .filter(Boolean)
          .sort(),
      ).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
      const systemErrors = alarm(devT, 'conversational-platform-dev-DynamoDbSystemErrors');
      expect(systemErrors).toEqual(
        expect.objectContaining({
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: DEV.alarms.dynamoSystemErrors,
        }),
      );
    });

    it('GIVEN the dev stage WHEN synthesized THEN it alarms on DynamoDB SystemErrors per operation the handlers call (CloudWatch publishes no table-wide series)', () => {
      // GIVEN the conversation table's system-error alarm
      const props = alarm(devT, 'conversational-platform-dev-DynamoDbSystemErrors');
      // THEN it is no single table-wide metric (never published: the alarm could not fire)
      expect(props.MetricName).toBeUndefined();
      // AND it sums SystemErrors of each operation (PutItem: what the fulfillment calls), gaps as 0
      const inputs = props.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => ({
        name: m.MetricStat.Metric.MetricName,
        stat: m.MetricStat.Stat,
        operation: m.MetricStat.Metric.Dimensions.find((d: Json) => d.Name === 'Operation')?.Value,
        table: m.MetricStat.Metric.Dimensions.some((d: Json) => d.Name === 'TableName'),
      }));
      expect(inputs).toEqual([{ name: 'SystemErrors', stat: 'Sum', operation: 'PutItem', table: true }]);
      expect(props.Metrics.find((m: Json) => m.Expression)).toEqual(
        expect.objectContaining({ Expression: 'FILL(putItem, 0)', ReturnData: true }),
      );
    });

    it('GIVEN the prod stage WHEN synthesized THEN it alarms on CPU, memory and evictions of every Redis node at the configured thresholds', () => {
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

    it('GIVEN prod and single-node dev WHEN synthesized THEN it alarms on replication lag of each prod replica, and not in dev', () => {
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

    it('GIVEN the dev stage WHEN synthesized THEN it alarms on Kinesis iterator age at the configured ms and on failed puts at the configured count', () => {
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

    it('GIVEN the dev stage WHEN synthesized THEN it alarms on Firehose freshness at the configured seconds and on delivery success below the configured share', () => {
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

    it('GIVEN DynamoDB system-error, Kinesis put-failure and Firehose delivery thresholds in config WHEN synthesized THEN it takes them from config', () => {
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

    it('GIVEN the dev stage WHEN synthesized THEN it watches the resources of its own stage', () => {
      const stream = alarm(devT, 'conversational-platform-dev-KinesisIteratorAge').Dimensions[0].Value;
      expect(JSON.stringify(stream)).toContain('Dev-Analytics');
    });
  });

  describe('bot alarms', () => {
    it('GIVEN the dev stage WHEN synthesized THEN it alarms on fulfillment p99 latency and the concurrency limit from config', () => {
      expect(alarm(devT, 'conversational-platform-dev-FulfillmentLatencyP99')).toEqual(
        expect.objectContaining({ ExtendedStatistic: 'p99', Threshold: DEV.alarms.fulfillmentP99Ms }),
      );
      expect(alarm(devT, 'conversational-platform-dev-FulfillmentConcurrencyNearLimit').Threshold).toBe(
        Math.floor(devStage.bot.resources.fulfillmentReservedConcurrency * 0.8),
      );
    });

    it('GIVEN the dev stage WHEN synthesized THEN it alarms on API 5xx and p99 latency at the configured thresholds', () => {
      expect(alarm(devT, 'conversational-platform-dev-Api5xx').Threshold).toBe(DEV.alarms.api5xx);
      expect(alarm(devT, 'conversational-platform-dev-ApiLatencyP99').Threshold).toBe(DEV.alarms.apiP99Ms);
    });
  });

  describe('turn defects and the channel', () => {
    it('GIVEN the dev stage WHEN synthesized THEN it alarms on the first turn defect (TurnDefects, 1-minute sum) at the configured count', () => {
      const props = alarm(devT, 'conversational-platform-dev-TurnDefects');
      expect(props).toEqual(
        expect.objectContaining({
          Namespace: 'ConversationalPlatform',
          MetricName: 'TurnDefects',
          Dimensions: [{ Name: 'service', Value: 'fulfillment' }],
          Statistic: 'Sum',
          Period: 60,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: DEV.alarms.turnDefects,
        }),
      );
      expect(DEV.alarms.turnDefects).toBe(1);
      expect(props.AlarmActions).toEqual([topicRef(devT)]);
    });

    it('GIVEN the prod stage WHEN synthesized THEN it alarms on rejected code-hook events (InvalidEvents) at the configured count', () => {
      expect(alarm(prodT, 'conversational-platform-prod-InvalidEvents')).toEqual(
        expect.objectContaining({
          MetricName: 'InvalidEvents',
          Dimensions: [{ Name: 'service', Value: 'fulfillment' }],
          Threshold: PROD.alarms.invalidEvents,
        }),
      );
    });

    it('GIVEN the prod stage WHEN synthesized THEN it alarms on Lex throttling answered 429 (ChannelThrottled), channel 5xx and channel p99 latency', () => {
      const channel = [{ Name: 'service', Value: 'channel' }];
      expect(alarm(prodT, 'conversational-platform-prod-ChannelThrottled')).toEqual(
        expect.objectContaining({
          Namespace: 'ConversationalPlatform',
          MetricName: 'ChannelThrottled',
          Dimensions: channel,
          Statistic: 'Sum',
          Threshold: PROD.alarms.channelThrottled,
        }),
      );
      expect(alarm(prodT, 'conversational-platform-prod-ChannelServerErrors')).toEqual(
        expect.objectContaining({
          MetricName: 'ChannelServerErrors',
          Dimensions: channel,
          Threshold: PROD.alarms.channelServerErrors,
        }),
      );
      expect(alarm(prodT, 'conversational-platform-prod-ChannelLatencyP99')).toEqual(
        expect.objectContaining({
          MetricName: 'ChannelLatency',
          Dimensions: channel,
          ExtendedStatistic: 'p99',
          Threshold: PROD.alarms.channelLatencyP99Ms,
        }),
      );
    });

    it("GIVEN different channel and fulfillment p99 durations WHEN synthesized THEN the channel function's has its own threshold, not the fulfillment's", () => {
      const config: EnvironmentConfig = {
        ...DEV,
        alarms: { ...DEV.alarms, channelDurationP99Ms: 2345, fulfillmentP99Ms: 1111 },
      };
      const t = Template.fromStack(
        new ConversationalPlatformStage(testApp({}, { schemaValidation: false }), 'Dev', { config })
          .monitoring,
      );
      expect(alarm(t, 'conversational-platform-dev-ChannelDurationP99').Threshold).toBe(2345);
      expect(alarm(t, 'conversational-platform-dev-FulfillmentDurationP99').Threshold).toBe(1111);
    });

    it('GIVEN the prod stage WHEN synthesized THEN the dashboard shows turn defects, rejected events and every channel metric', () => {
      const body = JSON.stringify(
        Object.values(prodT.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody,
      );
      for (const name of [
        'TurnDefects',
        'InvalidEvents',
        'ChannelRequests',
        'ChannelThrottled',
        'ChannelServerErrors',
        'ChannelClientErrors',
        'ChannelLatency',
      ]) {
        expect({ name, shown: body.includes(`\\"${name}\\"`) }).toEqual({ name, shown: true });
      }
    });
  });

  describe('who hears the alarms', () => {
    const subscriptions = (t: Template): Array<[string, string]> =>
      Object.values(t.findResources('AWS::SNS::Subscription')).map((s: Json) => [
        s.Properties.Protocol,
        s.Properties.Endpoint,
      ]);

    it('GIVEN the configured recipients WHEN synthesized THEN they are subscribed to the alarm topic: prod has one, dev may have none', () => {
      expect(PROD.alarmNotifications.emails.length).toBeGreaterThan(0);
      expect(subscriptions(prodT)).toEqual(PROD.alarmNotifications.emails.map((e) => ['email', e]));
      prodT.allResourcesProperties('AWS::SNS::Subscription', { TopicArn: topicRef(prodT) });
      expect(subscriptions(devT)).toEqual([]);
    });

    it('GIVEN e-mail addresses, an HTTPS endpoint and a Slack channel (AWS Chatbot) in config WHEN synthesized THEN every one is subscribed', () => {
      // GIVEN a prod config with two addresses, an endpoint and a Slack channel
      const config: EnvironmentConfig = {
        ...PROD,
        alarmNotifications: {
          emails: ['oncall@acme.io', 'platform@acme.io'],
          httpsEndpoint: 'https://events.pagerduty.com/integration/abc/enqueue',
          slack: { workspaceId: 'T07ABCDEF12', channelId: 'C07ABCDEF12' },
        },
      };
      // WHEN its monitoring stack is synthesized
      const t = Template.fromStack(
        new ConversationalPlatformStage(testApp({}, { schemaValidation: false }), 'Prod', { config })
          .monitoring,
      );
      // THEN each is subscribed to the alarm topic
      expect(subscriptions(t)).toEqual([
        ['email', 'oncall@acme.io'],
        ['email', 'platform@acme.io'],
        ['https', 'https://events.pagerduty.com/integration/abc/enqueue'],
      ]);
      t.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
        SlackWorkspaceId: 'T07ABCDEF12',
        SlackChannelId: 'C07ABCDEF12',
        SnsTopicArns: [topicRef(t)],
      });
    });
  });

  describe('knowledge answers', () => {
    it('GIVEN the configured no-answer threshold WHEN synthesized THEN it alarms on the no-answer rate of knowledge turns, and on the sync dead-letter queue of its own stage', () => {
      expect(alarm(devT, 'conversational-platform-dev-KnowledgeNoAnswerRate').Threshold).toBe(
        DEV.knowledge.noAnswerRateMax,
      );
      const deadLetters = alarm(devT, 'conversational-platform-dev-KnowledgeSyncDeadLetters');
      expect(JSON.stringify(deadLetters.Dimensions)).toContain('Fn::ImportValue');
      expect(JSON.stringify(deadLetters.Dimensions)).toContain('SyncDeadLetterQueue');
      const body = JSON.stringify(
        devStage.monitoring.resolve(
          (devT.findResources('AWS::CloudWatch::Dashboard') as Json)[
            Object.keys(devT.findResources('AWS::CloudWatch::Dashboard'))[0]
          ].Properties.DashboardBody,
        ),
      );
      for (const title of [
        'Knowledge answers per turn',
        'No-answer rate of knowledge turns',
        'Knowledge sync',
      ]) {
        expect(body).toContain(title);
      }
    });
  });

  it('GIVEN the dev stage WHEN synthesized THEN no alarm treats missing data as breaching (quiet environments stay OK)', () => {
    devT.allResourcesProperties('AWS::CloudWatch::Alarm', { TreatMissingData: 'notBreaching' });
  });
});

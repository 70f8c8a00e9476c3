import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  DEGRADED_METRICS,
  FULFILLMENT_SERVICE,
  Metric,
  METRIC_NAMESPACE,
  SERVICE_DIMENSION,
} from '../../contracts/metrics';
import type { BotResources } from './bot-stack';
import { RedisEndpoint } from './data-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

export interface MonitoringStackProps extends PlatformStackProps {
  readonly conversationTable: dynamodb.ITableV2;
  readonly redis: RedisEndpoint;
  readonly eventStream: kinesis.IStream;
  readonly deliveryStream: firehose.IDeliveryStream;
  /** Functions and API of the bot stack; when absent only the data path is watched. */
  readonly bot?: BotResources;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms (to an encrypted SNS topic) and a dashboard over every stack of the stage, including
 * the metric the platform is judged by: intent recognition rate.
 */
export class MonitoringStack extends PlatformStack {
  readonly alarmTopic: sns.ITopic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { alarms: t } = props.config;

    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: `Alarm topic (${props.config.name})`,
      enableKeyRotation: true,
      removalPolicy: this.statefulRemovalPolicy,
    });
    // CloudWatch alarms publish to an encrypted topic only if they may use its key.
    topicKey.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Conversational platform alarms (${props.config.name})`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `conversational-platform-${props.config.name}`,
      defaultInterval: Duration.hours(3),
    });

    // --- The platform's own metrics (published by the fulfillment handler through EMF) ---
    const custom = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName,
        dimensionsMap: { [SERVICE_DIMENSION]: FULFILLMENT_SERVICE },
        statistic,
        period: FIVE_MINUTES,
      });
    const recognitionRate = new cloudwatch.MathExpression({
      // Below 20 turns in 5 minutes the rate is noise: report 1 (healthy).
      expression: 'IF(turns >= 20, recognized / turns, 1)',
      usingMetrics: { recognized: custom(Metric.RecognizedTurns), turns: custom(Metric.Turns) },
      label: 'Intent recognition rate',
      period: FIVE_MINUTES,
    });
    this.alarm('IntentRecognitionRate', recognitionRate, {
      threshold: t.intentRecognitionRateMin,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `Recognized turns / all turns below ${t.intentRecognitionRateMin}: the bot is failing to understand users (check the bot model and the NLU threshold).`,
    });
    this.alarm('FulfillmentLatencyP99', custom(Metric.TurnLatency, 'p99'), {
      threshold: t.fulfillmentP99Ms,
      evaluationPeriods: 3,
      description: `p99 fulfillment turn latency above ${t.fulfillmentP99Ms} ms`,
    });
    const degraded = new cloudwatch.MathExpression({
      expression: DEGRADED_METRICS.map((_, i) => `FILL(d${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(DEGRADED_METRICS.map((m, i) => [`d${i}`, custom(m)])),
      label: 'Degraded turns',
      period: FIVE_MINUTES,
    });

    // --- Data path ---
    const table = props.conversationTable;
    const throttles = new cloudwatch.MathExpression({
      expression: 'FILL(r, 0) + FILL(w, 0)',
      usingMetrics: {
        r: table.metric('ReadThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
        w: table.metric('WriteThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
      },
      label: 'DynamoDB throttle events',
      period: FIVE_MINUTES,
    });
    this.alarm('DynamoDbThrottles', throttles, {
      threshold: t.dynamoThrottles,
      description: 'Conversation table throttled',
    });
    this.alarm(
      'DynamoDbSystemErrors',
      table.metric('SystemErrors', { statistic: 'Sum', period: FIVE_MINUTES }),
      {
        threshold: t.dynamoSystemErrors,
        description: `Conversation table: ${t.dynamoSystemErrors}+ DynamoDB system errors in 5 minutes`,
      },
    );

    const redisNodes = Array.from(
      { length: props.redis.nodeCount },
      (_, i) => `${props.redis.replicationGroupId}-00${i + 1}`,
    );
    const redisMetric = (metricName: string, node: string, statistic = 'Average') =>
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { CacheClusterId: node },
        statistic,
        period: FIVE_MINUTES,
      });
    redisNodes.forEach((node, i) => {
      const n = i + 1;
      this.alarm(`RedisCpu${n}`, redisMetric('EngineCPUUtilization', node), {
        threshold: t.redisCpuPercent,
        evaluationPeriods: 3,
        description: `Redis node ${node} engine CPU above ${t.redisCpuPercent}%`,
      });
      this.alarm(`RedisMemory${n}`, redisMetric('DatabaseMemoryUsagePercentage', node), {
        threshold: t.redisMemoryPercent,
        evaluationPeriods: 3,
        description: `Redis node ${node} memory above ${t.redisMemoryPercent}%`,
      });
      this.alarm(`RedisEvictions${n}`, redisMetric('Evictions', node, 'Sum'), {
        threshold: t.redisEvictions,
        description: `Redis node ${node} is evicting sessions`,
      });
      if (i > 0) {
        this.alarm(`RedisReplicationLag${n}`, redisMetric('ReplicationLag', node, 'Maximum'), {
          threshold: t.redisReplicationLagSeconds,
          evaluationPeriods: 3,
          description: `Redis replica ${node} lag above ${t.redisReplicationLagSeconds} s`,
        });
      }
    });

    const stream = props.eventStream;
    this.alarm(
      'KinesisIteratorAge',
      stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: FIVE_MINUTES }),
      {
        threshold: t.kinesisIteratorAgeMs,
        evaluationPeriods: 3,
        description: 'Firehose is falling behind the event stream',
      },
    );
    this.alarm(
      'KinesisPutFailures',
      stream.metric('PutRecords.FailedRecords', { statistic: 'Sum', period: FIVE_MINUTES }),
      {
        threshold: t.kinesisPutFailedRecords,
        description: `${t.kinesisPutFailedRecords}+ conversation events rejected by the stream in 5 minutes (handler retries; see EventsFailed)`,
      },
    );
    const delivery = props.deliveryStream;
    this.alarm(
      'FirehoseFreshness',
      delivery.metric('DeliveryToS3.DataFreshness', { statistic: 'Maximum', period: FIVE_MINUTES }),
      {
        threshold: t.firehoseFreshnessSeconds,
        evaluationPeriods: 3,
        description: `Oldest record in Firehose older than ${t.firehoseFreshnessSeconds} s`,
      },
    );
    this.alarm(
      'FirehoseDeliveryFailures',
      delivery.metric('DeliveryToS3.Success', { statistic: 'Average', period: FIVE_MINUTES }),
      {
        threshold: t.firehoseDeliverySuccessMin,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        description: `Firehose S3 delivery success below ${t.firehoseDeliverySuccessMin}: records failed to reach S3 (see the errors/ prefix)`,
      },
    );

    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'Intent recognition rate',
        left: [recognitionRate],
        leftYAxis: { min: 0, max: 1 },
      }),
      new cloudwatch.GraphWidget({
        title: 'Turns',
        left: [custom(Metric.Turns), custom(Metric.RecognizedTurns), custom(Metric.FallbackTurns)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Turn latency (ms)',
        left: [custom(Metric.TurnLatency, 'p50'), custom(Metric.TurnLatency, 'p99')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Degraded turns',
        left: [degraded, custom(Metric.Escalations), custom(Metric.NegativeSentiment)],
      }),
      new cloudwatch.GraphWidget({ title: 'DynamoDB', left: [throttles] }),
      new cloudwatch.GraphWidget({
        title: 'Redis CPU %',
        left: redisNodes.map((n) => redisMetric('EngineCPUUtilization', n)),
      }),
      new cloudwatch.GraphWidget({
        title: 'Events',
        left: [stream.metricGetRecordsIteratorAgeMilliseconds()],
        right: [delivery.metric('DeliveryToS3.DataFreshness')],
      }),
    ];
    if (props.bot) widgets.push(...this.watchBot(props.bot));
    this.dashboard.addWidgets(...widgets);
  }

  private watchBot(bot: BotResources): cloudwatch.IWidget[] {
    const { alarms: t } = this.config;
    const fns = { Fulfillment: bot.fulfillmentFunction, Channel: bot.channelFunction };
    for (const [name, fn] of Object.entries(fns)) {
      this.alarm(`${name}Errors`, fn.metricErrors({ period: FIVE_MINUTES }), {
        threshold: t.lambdaErrors,
        description: `${name} Lambda errors`,
      });
      this.alarm(`${name}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES }), {
        threshold: 1,
        description: `${name} Lambda throttled`,
      });
      this.alarm(`${name}DurationP99`, fn.metricDuration({ statistic: 'p99', period: FIVE_MINUTES }), {
        threshold: t.fulfillmentP99Ms,
        evaluationPeriods: 3,
        description: `${name} Lambda p99 duration above ${t.fulfillmentP99Ms} ms`,
      });
    }
    const concurrency = bot.fulfillmentFunction.metric('ConcurrentExecutions', {
      statistic: 'Maximum',
      period: Duration.minutes(1),
    });
    this.alarm('FulfillmentConcurrencyNearLimit', concurrency, {
      threshold: Math.floor(bot.fulfillmentReservedConcurrency * 0.8),
      evaluationPeriods: 3,
      description: `Fulfillment concurrency above 80% of its reserved ${bot.fulfillmentReservedConcurrency}: raise it (capacity model) before users are throttled`,
    });
    this.alarm('Api5xx', bot.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), {
      threshold: t.api5xx,
      description: 'Channel API 5xx',
    });
    this.alarm('ApiLatencyP99', bot.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }), {
      threshold: t.apiP99Ms,
      evaluationPeriods: 3,
      description: `Channel API p99 latency above ${t.apiP99Ms} ms`,
    });
    return [
      new cloudwatch.GraphWidget({
        title: 'Lambda errors / throttles',
        left: Object.values(fns).map((f) => f.metricErrors()),
        right: Object.values(fns).map((f) => f.metricThrottles()),
      }),
      new cloudwatch.GraphWidget({ title: 'Fulfillment concurrency', left: [concurrency] }),
      new cloudwatch.GraphWidget({
        title: 'API',
        left: [bot.api.metricCount(), bot.api.metricServerError(), bot.api.metricClientError()],
        right: [bot.api.metricLatency({ statistic: 'p99' })],
      }),
    ];
  }

  /**
   * An alarm on `metric`, to the alarm topic (ALARM and OK). `id` is both the construct id (so the
   * logical id) and the suffix of the alarm's fixed name: alarms stay at the stack's top level
   * under these ids rather than moving into scopes, because a new logical id for a named alarm
   * makes CloudFormation create the "new" alarm, clashing with the old one's name, before it
   * deletes the old one.
   */
  private alarm(
    id: string,
    metric: cloudwatch.Metric | cloudwatch.MathExpression,
    {
      description,
      ...props
    }: Partial<cloudwatch.CreateAlarmOptions> & { threshold: number; description: string },
  ): cloudwatch.Alarm {
    const alarm = metric.createAlarm(this, id, {
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmName: `conversational-platform-${this.config.name}-${id}`,
      alarmDescription: description,
      ...props,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    alarm.addOkAction(new actions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
    return alarm;
  }
}

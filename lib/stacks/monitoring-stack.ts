import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmFactory } from '../constructs/alarms/alarm-factory';
import { AlarmTopic } from '../constructs/alarms/alarm-topic';
import { AnalyticsAlarms } from '../constructs/alarms/analytics-alarms';
import { ApiAlarms } from '../constructs/alarms/api-alarms';
import { DataAlarms } from '../constructs/alarms/data-alarms';
import { FeedbackAlarms } from '../constructs/alarms/feedback-alarms';
import { KnowledgeAlarms } from '../constructs/alarms/knowledge-alarms';
import { LambdaAlarms } from '../constructs/alarms/lambda-alarms';
import { TicketAlarms } from '../constructs/alarms/ticket-alarms';
import { TurnAlarms } from '../constructs/alarms/turn-alarms';
import { DashboardSection, PlatformDashboard } from '../constructs/platform-dashboard';
import type { BotResources } from './bot-stack';
import { RedisEndpoint } from './data-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';
import type { TicketsStack } from './tickets-stack';

export interface MonitoringStackProps extends PlatformStackProps {
  readonly conversationTable: dynamodb.ITableV2;
  readonly redis: RedisEndpoint;
  readonly eventStream: kinesis.IStream;
  readonly deliveryStream: firehose.IDeliveryStream;
  /** Functions and API of the bot stack; when absent only the data path is watched. */
  readonly bot?: BotResources;
  /** The knowledge sync's dead-letter queue (alarmed); the knowledge turns are watched either way. */
  readonly knowledgeSyncDeadLetterQueue?: sqs.IQueue;
  /** The ticket queue and worker; when absent no ticket alarms. */
  readonly tickets?: Pick<TicketsStack, 'queue' | 'worker'>;
}

/**
 * Alarms (to an encrypted SNS topic, and from it to the configured recipients) and a dashboard
 * over every stack of the stage, including the metric the platform is judged by: intent
 * recognition rate. Composed of the alarm topic, one alarm group per concern (the turns, the
 * data path, the events, and, with the bot stack, its functions and API) and the dashboard
 * showing what each group watches. Every alarm keeps the logical id its name gives it
 * (lib/constructs/alarms/alarm-factory.ts); the topic key and the dashboard keep theirs.
 */
export class MonitoringStack extends PlatformStack {
  readonly alarmTopic: sns.ITopic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { name, alarms: t } = this.config;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      environmentName: name,
      notifications: this.config.alarmNotifications,
      removalPolicy: this.statefulRemovalPolicy,
    }).topic;
    const factory = new AlarmFactory({ environmentName: name, topic: this.alarmTopic });
    const sections: DashboardSection[] = [
      { title: 'Turns', widgets: new TurnAlarms(this, 'TurnAlarms', { factory, ...t }).widgets },
      {
        title: 'Conversation state',
        widgets: new DataAlarms(this, 'DataAlarms', {
          factory,
          table: props.conversationTable,
          redis: props.redis,
          thresholds: t,
        }).widgets,
      },
      {
        title: 'Conversation events',
        widgets: new AnalyticsAlarms(this, 'AnalyticsAlarms', {
          factory,
          eventStream: props.eventStream,
          deliveryStream: props.deliveryStream,
          thresholds: t,
        }).widgets,
      },
      {
        title: 'Knowledge answers',
        widgets: new KnowledgeAlarms(this, 'KnowledgeAlarms', {
          factory,
          noAnswerRateMax: this.config.knowledge.noAnswerRateMax,
          syncDeadLetterQueue: props.knowledgeSyncDeadLetterQueue,
        }).widgets,
      },
      {
        title: 'Customer feedback',
        widgets: new FeedbackAlarms(this, 'FeedbackAlarms', {
          factory,
          helpfulRateMin: this.config.alarms.feedbackHelpfulRateMin,
        }).widgets,
      },
      ...(props.bot ? this.watchBot(factory, props.bot) : []),
      ...(props.tickets
        ? [
            {
              title: 'Tickets',
              widgets: new TicketAlarms(this, 'TicketAlarms', {
                factory,
                queue: props.tickets.queue,
                worker: props.tickets.worker.fn,
                oldestMessageAlarmSeconds: this.config.tickets.oldestMessageAlarmSeconds,
              }).widgets,
            },
          ]
        : []),
    ];
    this.dashboard = new PlatformDashboard(this, 'Dashboard', {
      dashboardName: `conversational-platform-${name}`,
      sections,
    }).dashboard;
    this.alarms = factory.alarms;
  }

  /** The bot stack's functions and its channel API. */
  private watchBot(factory: AlarmFactory, bot: BotResources): DashboardSection[] {
    const t = this.config.alarms;
    const lambdas = new LambdaAlarms(this, 'LambdaAlarms', {
      factory,
      functions: {
        Fulfillment: { fn: bot.fulfillmentFunction, durationP99Ms: t.fulfillmentP99Ms },
        Channel: { fn: bot.channelFunction, durationP99Ms: t.channelDurationP99Ms },
      },
      errors: t.lambdaErrors,
      reserved: {
        name: 'Fulfillment',
        fn: bot.fulfillmentFunction,
        concurrency: bot.fulfillmentReservedConcurrency,
      },
    });
    const api = new ApiAlarms(this, 'ApiAlarms', { factory, api: bot.api, ...t });
    return [
      { title: 'Functions', widgets: lambdas.widgets },
      { title: 'Channel API', widgets: api.widgets },
    ];
  }
}

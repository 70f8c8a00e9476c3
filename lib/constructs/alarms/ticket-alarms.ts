import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FULFILLMENT_SERVICE, Metric } from '../../../contracts/metrics';
import { TicketQueue } from '../ticket-queue';
import { AlarmFactory, AlarmGroup } from './alarm-factory';
import { FIVE_MINUTES, platformMetric } from './metrics';

export interface TicketAlarmsProps {
  readonly factory: AlarmFactory;
  readonly queue: TicketQueue;
  readonly worker: lambda.IFunction;
  /** Alarm when the queue's oldest message is older than this, seconds (config `tickets.oldestMessageAlarmSeconds`). */
  readonly oldestMessageAlarmSeconds: number;
}

/**
 * The ticket path (docs/tickets.md, "Alarms"): a message in the dead-letter queue (a ticket
 * request that failed `maxReceives` times: a customer was given a reference the desk cannot see
 * until it is redriven), the queue's oldest message older than the configured age (the worker is
 * failing or not keeping up), worker errors, and ticket turns whose request could not be
 * enqueued (`TicketRequestFailed`: the customer was told to contact the desk instead).
 */
export class TicketAlarms extends AlarmGroup {
  readonly widgets: readonly cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: TicketAlarmsProps) {
    super(scope, id, props.factory);
    const { queue, worker, oldestMessageAlarmSeconds } = props;
    const deadLetters = queue.metricDeadLetterDepth();
    const oldest = queue.metricOldestMessageAge();
    const failed = platformMetric(FULFILLMENT_SERVICE, Metric.TicketRequestFailed);
    this.alarm('TicketDeadLetters', deadLetters, {
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `Ticket requests in the dead-letter queue (failed ${queue.maxReceives} receives): inspect, fix, then redrive them to the ticket queue (docs/tickets.md)`,
    });
    this.alarm('TicketQueueOldestMessage', oldest, {
      threshold: oldestMessageAlarmSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `Oldest ticket request older than ${oldestMessageAlarmSeconds} s: the ticket worker is failing or not keeping up`,
    });
    this.alarm('TicketWorkerErrors', worker.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }), {
      threshold: 1,
      description: 'The ticket worker failed whole invocations (messages return to the queue)',
    });
    this.alarm('TicketRequestFailures', failed, {
      threshold: 1,
      description:
        'Ticket turns whose request the queue did not take: the customer was told to contact the desk instead',
    });
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: 'Tickets',
        left: [platformMetric(FULFILLMENT_SERVICE, Metric.TicketsRequested), failed, deadLetters],
        right: [oldest],
      }),
    ];
  }
}

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CHANNEL_SERVICE, Metric } from '../../../contracts/metrics';
import { AlarmFactory, AlarmGroup } from './alarm-factory';
import { platformMetric } from './metrics';

export interface FeedbackAlarmsProps {
  readonly factory: AlarmFactory;
  /** Alarm when thumbs up / all thumbs in an hour falls below this (0..1). */
  readonly helpfulRateMin: number;
}

/** Fewer feedbacks than this in an hour and the helpful rate is noise: it reads 1 (no alarm). */
export const HELPFUL_RATE_MIN_FEEDBACK = 20;
const HOUR = Duration.hours(1);

/**
 * What customers say about the answers (the channel's feedback metrics): the helpful rate (thumbs
 * up / all thumbs) and CSAT (the average 1-5 rating), alarmed when the helpful rate falls below
 * the config threshold over an hour with enough feedback to mean something.
 */
export class FeedbackAlarms extends AlarmGroup {
  readonly widgets: readonly cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: FeedbackAlarmsProps) {
    super(scope, id, props.factory);
    const helpful = platformMetric(CHANNEL_SERVICE, Metric.FeedbackHelpful).with({ period: HOUR });
    const notHelpful = platformMetric(CHANNEL_SERVICE, Metric.FeedbackNotHelpful).with({ period: HOUR });
    const all = 'FILL(helpful, 0) + FILL(nothelpful, 0)';
    const helpfulRate = new cloudwatch.MathExpression({
      expression: `IF(${all} >= ${HELPFUL_RATE_MIN_FEEDBACK}, FILL(helpful, 0) / (${all}), 1)`,
      usingMetrics: { helpful, nothelpful: notHelpful },
      label: 'Helpful rate (thumbs up / all)',
      period: HOUR,
    });
    this.alarm('FeedbackHelpfulRate', helpfulRate, {
      threshold: props.helpfulRateMin,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      description: `Answers rated helpful / all rated below ${props.helpfulRateMin} over an hour (at least ${HELPFUL_RATE_MIN_FEEDBACK} ratings): customers say the answers do not help; read the feedback events (type "feedback") and the conversations they rate.`,
    });
    const csat = platformMetric(CHANNEL_SERVICE, Metric.FeedbackRating).with({
      statistic: 'Average',
      period: HOUR,
      label: 'CSAT (average 1-5 rating)',
    });
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: 'Customer feedback',
        left: [helpfulRate],
        leftYAxis: { min: 0, max: 1 },
        leftAnnotations: [{ value: props.helpfulRateMin, label: 'alarm' }],
        right: [csat],
        rightYAxis: { min: 1, max: 5 },
      }),
    ];
  }
}

import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { Construct } from 'constructs';
import { AlarmFactory, AlarmGroup } from './alarm-factory';
import { FIVE_MINUTES } from './metrics';

export interface AnalyticsAlarmsProps {
  readonly factory: AlarmFactory;
  readonly eventStream: kinesis.IStream;
  readonly deliveryStream: firehose.IDeliveryStream;
  readonly thresholds: {
    /** GetRecords iterator age, ms. */
    readonly kinesisIteratorAgeMs: number;
    /** Records PutRecords rejected in 5 minutes. */
    readonly kinesisPutFailedRecords: number;
    /** Age of the oldest record not yet in S3, seconds. */
    readonly firehoseFreshnessSeconds: number;
    /** Share of S3 deliveries that succeeded, (0, 1]. */
    readonly firehoseDeliverySuccessMin: number;
  };
}

/** The conversation events: the Kinesis stream (consumer lag, rejected puts) and Firehose's S3 delivery. */
export class AnalyticsAlarms extends AlarmGroup {
  readonly widgets: readonly cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: AnalyticsAlarmsProps) {
    super(scope, id, props.factory);
    const { eventStream: stream, deliveryStream: delivery, thresholds: t } = props;
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
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: 'Events',
        left: [stream.metricGetRecordsIteratorAgeMilliseconds()],
        right: [delivery.metric('DeliveryToS3.DataFreshness')],
      }),
    ];
  }
}

import { Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { AnalyticsAlarms } from '../../../../lib/constructs/alarms/analytics-alarms';
import { TEST_ENV } from '../../../support/construct-stack';
import { alarmProps, alarmStack } from './helpers';

describe('AnalyticsAlarms', () => {
  const { stack, factory } = alarmStack();
  const alarms = new AnalyticsAlarms(stack, 'AnalyticsAlarms', {
    factory,
    eventStream: kinesis.Stream.fromStreamArn(
      stack,
      'Stream',
      `arn:aws:kinesis:${TEST_ENV.region}:${TEST_ENV.account}:stream/events`,
    ),
    deliveryStream: firehose.DeliveryStream.fromDeliveryStreamName(stack, 'Delivery', 'events-to-s3'),
    thresholds: {
      kinesisIteratorAgeMs: 60_000,
      kinesisPutFailedRecords: 3,
      firehoseFreshnessSeconds: 900,
      firehoseDeliverySuccessMin: 0.99,
    },
  });
  const t = Template.fromStack(stack);

  it('GIVEN an event stream WHEN synthesized THEN it alarms on the stream: consumer lag and rejected puts', () => {
    expect(alarmProps(t, 'KinesisIteratorAge')).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/Kinesis',
        MetricName: 'GetRecords.IteratorAgeMilliseconds',
        Dimensions: [{ Name: 'StreamName', Value: 'events' }],
        Threshold: 60_000,
      }),
    );
    expect(alarmProps(t, 'KinesisPutFailures')).toEqual(
      expect.objectContaining({ MetricName: 'PutRecords.FailedRecords', Statistic: 'Sum', Threshold: 3 }),
    );
  });

  it('GIVEN a delivery stream WHEN synthesized THEN it alarms on Firehose freshness and on delivery success below the minimum share', () => {
    expect(alarmProps(t, 'FirehoseFreshness')).toEqual(
      expect.objectContaining({ MetricName: 'DeliveryToS3.DataFreshness', Threshold: 900 }),
    );
    expect(alarmProps(t, 'FirehoseDeliveryFailures')).toEqual(
      expect.objectContaining({
        MetricName: 'DeliveryToS3.Success',
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 0.99,
      }),
    );
    expect(factory.alarms).toHaveLength(4);
    expect(alarms.widgets).toHaveLength(1);
  });
});

import { Template } from 'aws-cdk-lib/assertions';
import { LambdaAlarms } from '../../../../lib/constructs/alarms/lambda-alarms';
import { stubFunction } from '../../../support/construct-stack';
import { alarmProps, alarmStack } from './helpers';

function build() {
  const { stack, factory } = alarmStack();
  const fulfillment = stubFunction(stack, 'Fulfillment');
  const channel = stubFunction(stack, 'Channel');
  const alarms = new LambdaAlarms(stack, 'LambdaAlarms', {
    factory,
    functions: {
      Fulfillment: { fn: fulfillment, durationP99Ms: 1500 },
      Channel: { fn: channel, durationP99Ms: 1800 },
    },
    errors: 5,
    reserved: { name: 'Fulfillment', fn: fulfillment, concurrency: 407 },
  });
  return { alarms, factory, t: Template.fromStack(stack) };
}

describe('LambdaAlarms', () => {
  const { alarms, factory, t } = build();

  it('GIVEN two functions, one with reserved concurrency WHEN synthesized THEN it alarms on errors, throttles and p99 duration of each, and on the reserved concurrency', () => {
    expect(factory.alarms.map((a) => a.node.id)).toEqual([
      'FulfillmentErrors',
      'FulfillmentThrottles',
      'FulfillmentDurationP99',
      'ChannelErrors',
      'ChannelThrottles',
      'ChannelDurationP99',
      'FulfillmentConcurrencyNearLimit',
    ]);
    expect(alarmProps(t, 'ChannelErrors')).toEqual(
      expect.objectContaining({ MetricName: 'Errors', Threshold: 5 }),
    );
    expect(alarmProps(t, 'ChannelThrottles')).toEqual(
      expect.objectContaining({ MetricName: 'Throttles', Threshold: 1 }),
    );
  });

  it('GIVEN a p99 duration per function WHEN synthesized THEN each function gets its own p99 duration threshold', () => {
    expect(alarmProps(t, 'FulfillmentDurationP99')).toEqual(
      expect.objectContaining({ MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 1500 }),
    );
    expect(alarmProps(t, 'ChannelDurationP99')).toEqual(
      expect.objectContaining({ MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 1800 }),
    );
  });

  it('GIVEN a reserved concurrency WHEN synthesized THEN it alarms at 80% of it, per minute', () => {
    expect(alarmProps(t, 'FulfillmentConcurrencyNearLimit')).toEqual(
      expect.objectContaining({
        MetricName: 'ConcurrentExecutions',
        Statistic: 'Maximum',
        Period: 60,
        Threshold: Math.floor(407 * 0.8),
        EvaluationPeriods: 3,
      }),
    );
  });

  it('GIVEN the Lambda alarms WHEN their widgets are drawn THEN they graph errors, throttles, durations and concurrency', () => {
    expect(
      alarms.widgets.map((w) => (w.toJson()[0] as { properties: { title: string } }).properties.title),
    ).toEqual(['Lambda errors / throttles', 'Lambda p99 duration (ms)', 'Fulfillment concurrency']);
  });
});

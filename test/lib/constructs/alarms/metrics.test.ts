import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Duration } from 'aws-cdk-lib';
import { platformMetric, sumOf } from '../../../../lib/constructs/alarms/metrics';
import { Metric } from '../../../../contracts/metrics';

describe('platformMetric', () => {
  it("GIVEN a service and a metric WHEN made THEN it is the handler's EMF metric: the platform namespace and the service dimension", () => {
    const m = platformMetric('channel', Metric.ChannelLatency, 'p99');
    expect(m.namespace).toBe('ConversationalPlatform');
    expect(m.metricName).toBe('ChannelLatency');
    expect(m.dimensions).toEqual({ service: 'channel' });
    expect(m.statistic).toBe('p99');
    expect(m.period.toSeconds()).toBe(300);
    expect(
      platformMetric('fulfillment', Metric.TurnDefects, 'Sum', Duration.minutes(1)).period.toSeconds(),
    ).toBe(60);
  });
});

describe('sumOf', () => {
  const m = (name: string) => new cloudwatch.Metric({ namespace: 'N', metricName: name });

  it('GIVEN two metrics WHEN summed THEN they are added, a missing datapoint counting as 0', () => {
    const sum = sumOf('both', { a: m('A'), b: m('B') });
    expect(sum.expression).toBe('FILL(a, 0) + FILL(b, 0)');
    expect(Object.keys(sum.usingMetrics)).toEqual(['a', 'b']);
    expect(sum.label).toBe('both');
  });

  it('GIVEN no metric WHEN summed THEN it refuses to sum nothing', () => {
    expect(() => sumOf('none', {})).toThrow('none: nothing to sum');
  });
});

import { Template } from 'aws-cdk-lib/assertions';
import { Metric } from '../../../../contracts/metrics';
import { FeedbackAlarms, HELPFUL_RATE_MIN_FEEDBACK } from '../../../../lib/constructs/alarms/feedback-alarms';
import { alarmProps as alarm, alarmStack } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(helpfulRateMin = 0.6) {
  const { stack, factory } = alarmStack();
  const alarms = new FeedbackAlarms(stack, 'FeedbackAlarms', { factory, helpfulRateMin });
  return { alarms, factory, t: Template.fromStack(stack) };
}

describe('FeedbackAlarms', () => {
  it('GIVEN a helpful-rate floor WHEN synthesized THEN one alarm fires below it, over an hour of thumbs from the channel', () => {
    const props = alarm(build(0.7).t, 'FeedbackHelpfulRate') as Json;
    expect(props).toEqual(
      expect.objectContaining({
        Threshold: 0.7,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 1,
      }),
    );
    const metrics = props.Metrics as Json[];
    const math = metrics.find((m) => m.Expression);
    expect(math?.Expression).toContain(`>= ${HELPFUL_RATE_MIN_FEEDBACK}`);
    const names = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.MetricName);
    expect(names.sort()).toEqual([Metric.FeedbackHelpful, Metric.FeedbackNotHelpful].sort());
    for (const m of metrics.filter((x) => x.MetricStat)) {
      expect(m.MetricStat.Period).toBe(3600);
      expect(m.MetricStat.Metric.Dimensions).toEqual([{ Name: 'service', Value: 'channel' }]);
    }
  });

  it('GIVEN the alarms WHEN the dashboard widgets are read THEN helpful rate and CSAT are on one graph', () => {
    const { alarms } = build();
    expect(alarms.widgets).toHaveLength(1);
    expect(JSON.stringify(alarms.widgets[0].toJson())).toContain(Metric.FeedbackRating);
  });
});

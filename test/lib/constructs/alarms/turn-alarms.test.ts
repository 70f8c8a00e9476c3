import { Template } from 'aws-cdk-lib/assertions';
import { TurnAlarms, TurnAlarmsProps } from '../../../../lib/constructs/alarms/turn-alarms';
import { alarmProps as alarm, alarmStack } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(overrides: Partial<TurnAlarmsProps> = {}) {
  const { stack, factory } = alarmStack();
  const alarms = new TurnAlarms(stack, 'TurnAlarms', {
    factory,
    intentRecognitionRateMin: 0.8,
    fulfillmentP99Ms: 1500,
    turnDefects: 1,
    invalidEvents: 2,
    ...overrides,
  });
  return { alarms, factory, t: Template.fromStack(stack) };
}

describe('TurnAlarms', () => {
  it('GIVEN the turn thresholds WHEN synthesized THEN the four turn alarms are made', () => {
    const { factory } = build();
    expect(factory.alarms.map((a) => a.node.id)).toEqual([
      'IntentRecognitionRate',
      'FulfillmentLatencyP99',
      'TurnDefects',
      'InvalidEvents',
    ]);
  });

  it('GIVEN a recognition-rate minimum WHEN synthesized THEN it alarms on the rate below it, 2 of 3 periods, quiet periods reading 1', () => {
    const props = alarm(build({ intentRecognitionRateMin: 0.75 }).t, 'IntentRecognitionRate');
    expect(props).toEqual(
      expect.objectContaining({
        Threshold: 0.75,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
      }),
    );
    expect(props.Metrics.find((m: Json) => m.Expression).Expression).toBe(
      'IF(turns >= 20, recognized / turns, 1)',
    );
  });

  it('GIVEN a configured defect count WHEN synthesized THEN it alarms on any turn defect within a minute, at that count', () => {
    const props = alarm(build({ turnDefects: 3 }).t, 'TurnDefects');
    expect(props).toEqual(
      expect.objectContaining({
        Namespace: 'ConversationalPlatform',
        MetricName: 'TurnDefects',
        Dimensions: [{ Name: 'service', Value: 'fulfillment' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 3,
      }),
    );
  });

  it('GIVEN configured values WHEN synthesized THEN it alarms on rejected events and on p99 turn latency at those values', () => {
    const { t } = build({ invalidEvents: 4, fulfillmentP99Ms: 1234 });
    expect(alarm(t, 'InvalidEvents')).toEqual(
      expect.objectContaining({ MetricName: 'InvalidEvents', Statistic: 'Sum', Period: 300, Threshold: 4 }),
    );
    expect(alarm(t, 'FulfillmentLatencyP99')).toEqual(
      expect.objectContaining({ MetricName: 'TurnLatency', ExtendedStatistic: 'p99', Threshold: 1234 }),
    );
  });

  it('GIVEN the turn alarms WHEN their widgets are drawn THEN they graph turns, latency, degraded paths, and defects with rejected events', () => {
    const { alarms } = build();
    const shown = JSON.stringify(alarms.widgets.map((w) => w.toJson()));
    for (const name of [
      'Turns',
      'RecognizedTurns',
      'TurnLatency',
      'EventsFailed',
      'TurnDefects',
      'InvalidEvents',
    ]) {
      expect({ name, shown: shown.includes(`"${name}"`) }).toEqual({ name, shown: true });
    }
  });
});

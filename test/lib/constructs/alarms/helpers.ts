/** Test-only: an alarm factory in a construct stack, and reading an alarm by its id. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmFactory } from '../../../../lib/constructs/alarms/alarm-factory';
import { constructStack } from '../../../support/construct-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A stack with a topic and an alarm factory for environment `test`. */
export function alarmStack(): { stack: Stack; factory: AlarmFactory } {
  const stack = constructStack();
  return {
    stack,
    factory: new AlarmFactory({ environmentName: 'test', topic: new sns.Topic(stack, 'Topic') }),
  };
}

/** The properties of the one alarm named `conversational-platform-test-<id>`. */
export function alarmProps(t: Template, id: string): Json {
  const found = Object.values(
    t.findResources('AWS::CloudWatch::Alarm', {
      Properties: { AlarmName: `conversational-platform-test-${id}` },
    }),
  );
  if (found.length !== 1) throw new Error(`${found.length} alarms named ...-${id}`);
  return (found[0] as Json).Properties;
}

/** The metric inputs of a metric-math alarm: id -> name, statistic and dimensions. */
export function mathInputs(props: Json): Record<string, Json> {
  return Object.fromEntries(
    (props.Metrics as Json[])
      .filter((m) => m.MetricStat)
      .map((m) => [
        m.Id,
        {
          name: m.MetricStat.Metric.MetricName,
          stat: m.MetricStat.Stat,
          dimensions: Object.fromEntries(
            (m.MetricStat.Metric.Dimensions as Json[]).map((d) => [d.Name, d.Value]),
          ),
        },
      ]),
  );
}

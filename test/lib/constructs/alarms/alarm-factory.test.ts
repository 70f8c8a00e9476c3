import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmFactory, alarmLogicalId } from '../../../../lib/constructs/alarms/alarm-factory';
import { constructStack } from '../../../support/construct-stack';
import { repoPath } from '../../../support/paths';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Things', statistic: 'Sum' });

describe('alarmLogicalId', () => {
  it('GIVEN an alarm at the top level of a stack WHEN synthesized THEN its logical id is the one alarmLogicalId gives', () => {
    // GIVEN an alarm created at a stack's top level
    const stack = constructStack();
    const alarm = metric.createAlarm(stack, 'Api5xx', { threshold: 1, evaluationPeriods: 1 });
    // THEN its logical id is alarmLogicalId of its construct id
    expect(stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm)).toBe(alarmLogicalId('Api5xx'));
  });

  it("GIVEN the monitoring stack's deployed alarms WHEN their ids are computed THEN they are the ids they were deployed with", () => {
    const fixture = JSON.parse(
      readFileSync(repoPath('test', 'fixtures', 'stateful-logical-ids.json'), 'utf8'),
    ) as { stages: Record<string, Record<string, Record<string, string[]>>> };
    const deployed = fixture.stages.Prod.Monitoring['AWS::CloudWatch::Alarm'];
    expect(deployed.length).toBeGreaterThan(20);
    for (const id of deployed) expect(alarmLogicalId(id.slice(0, -8))).toBe(id);
  });
});

describe('AlarmFactory', () => {
  let stack: Stack;
  let topic: sns.Topic;
  let factory: AlarmFactory;
  beforeEach(() => {
    stack = constructStack();
    topic = new sns.Topic(stack, 'Topic');
    factory = new AlarmFactory({ environmentName: 'test', topic });
  });
  const alarms = (): Record<string, Json> =>
    Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');

  it('GIVEN only a threshold and a description WHEN an alarm is made THEN it is named after its id, sends ALARM and OK to the topic, and leaves missing data not breaching', () => {
    // WHEN an alarm is made with only a threshold and a description
    factory.create(stack, 'Things', metric, { threshold: 3, description: 'too many things' });
    // THEN it has the defaults
    const [props] = Object.values(alarms()).map((a) => a.Properties);
    expect(props).toEqual(
      expect.objectContaining({
        AlarmName: 'conversational-platform-test-Things',
        AlarmDescription: 'too many things',
        Threshold: 3,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }],
        OKActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }],
      }),
    );
    expect(factory.alarms).toHaveLength(1);
  });

  it("GIVEN an alarm's own settings WHEN it is made THEN they override the defaults", () => {
    factory.create(stack, 'Rate', metric, {
      threshold: 0.5,
      description: 'rate too low',
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    const [props] = Object.values(alarms()).map((a) => a.Properties);
    expect(props).toEqual(
      expect.objectContaining({ ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 3 }),
    );
  });

  it('GIVEN nested constructs, however deep WHEN an alarm is made in them THEN it keeps the logical id its name gives it', () => {
    // WHEN an alarm is made inside nested constructs
    factory.create(new Construct(new Construct(stack, 'Group'), 'Sub'), 'Api5xx', metric, {
      threshold: 1,
      description: 'API 5xx',
    });
    // THEN its logical id is the top-level one
    expect(Object.keys(alarms())).toEqual([alarmLogicalId('Api5xx')]);
    expect(alarmLogicalId('Api5xx')).toBe('Api5xx3D9EE91A');
  });

  it('GIVEN an id used twice (two alarms of one name) WHEN the second alarm is made THEN it is refused', () => {
    factory.create(new Construct(stack, 'A'), 'Errors', metric, { threshold: 1, description: 'errors' });
    expect(() =>
      factory.create(new Construct(stack, 'B'), 'Errors', metric, { threshold: 1, description: 'errors' }),
    ).toThrow('alarm conversational-platform-test-Errors is defined twice');
  });
});

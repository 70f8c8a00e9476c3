import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { KnowledgeAlarms } from '../../../../lib/constructs/alarms/knowledge-alarms';
import { alarmProps as alarm, alarmStack, mathInputs } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(noAnswerRateMax = 0.4, withQueue = true) {
  const { stack, factory } = alarmStack();
  const queue = withQueue ? new sqs.Queue(stack, 'Dlq') : undefined;
  const alarms = new KnowledgeAlarms(stack, 'KnowledgeAlarms', {
    factory,
    noAnswerRateMax,
    syncDeadLetterQueue: queue,
  });
  return { stack, alarms, factory, t: Template.fromStack(stack) };
}

describe('KnowledgeAlarms', () => {
  it('GIVEN a no-answer threshold WHEN synthesized THEN it alarms when "I don\'t know" / knowledge turns passes it, 2 of 3 periods, quiet periods reading 0', () => {
    const props = alarm(build(0.35).t, 'KnowledgeNoAnswerRate');
    expect(props).toEqual(
      expect.objectContaining({
        Threshold: 0.35,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
      }),
    );
    expect(props.Metrics.find((m: Json) => m.Expression).Expression).toBe(
      'IF(FILL(answered, 0) + FILL(noanswer, 0) >= 20, FILL(noanswer, 0) / (FILL(answered, 0) + FILL(noanswer, 0)), 0)',
    );
    expect(mathInputs(props)).toEqual({
      answered: { name: 'KnowledgeAnswered', stat: 'Sum', dimensions: { service: 'fulfillment' } },
      noanswer: { name: 'KnowledgeNoAnswer', stat: 'Sum', dimensions: { service: 'fulfillment' } },
    });
  });

  it('GIVEN the sync dead-letter queue WHEN synthesized THEN a change dead-lettered raises an alarm; without it, only the no-answer alarm', () => {
    const { factory, t, stack } = build();
    expect(factory.alarms.map((a) => a.node.id)).toEqual([
      'KnowledgeNoAnswerRate',
      'KnowledgeSyncDeadLetters',
    ]);
    expect(alarm(t, 'KnowledgeSyncDeadLetters')).toEqual(
      expect.objectContaining({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: {
              'Fn::GetAtt': [
                stack.getLogicalId(stack.node.findChild('Dlq').node.defaultChild as never),
                'QueueName',
              ],
            },
          },
        ],
      }),
    );
    expect(build(0.4, false).factory.alarms.map((a) => a.node.id)).toEqual(['KnowledgeNoAnswerRate']);
  });

  it('GIVEN the knowledge metrics WHEN shown THEN the dashboard has answered, no answer and guardrail intervened per turn, the no-answer rate, latency and the sync', () => {
    const { alarms, stack } = build();
    const titles = alarms.widgets.map((w) => (w as cloudwatch.GraphWidget).toJson()[0].properties.title);
    expect(titles).toEqual([
      'Knowledge answers per turn',
      'No-answer rate of knowledge turns',
      'Knowledge latency (ms)',
      'Knowledge sync',
    ]);
    const perTurn = JSON.stringify(stack.resolve((alarms.widgets[0] as cloudwatch.GraphWidget).toJson()));
    for (const expression of [
      'IF(FILL(turns, 0) > 0, FILL(answered, 0) / turns, 0)',
      'IF(FILL(turns, 0) > 0, FILL(noanswer, 0) / turns, 0)',
      'IF(FILL(turns, 0) > 0, FILL(guardrail, 0) / turns, 0)',
    ]) {
      expect(perTurn).toContain(expression);
    }
    for (const name of ['KnowledgeAnswered', 'KnowledgeNoAnswer', 'GuardrailIntervened', 'Turns']) {
      expect(perTurn).toContain(`"${name}"`);
    }
    const sync = JSON.stringify(stack.resolve((alarms.widgets[3] as cloudwatch.GraphWidget).toJson()));
    for (const name of ['KnowledgeSyncStarted', 'KnowledgeSyncDeferred', 'KnowledgeSyncFailed']) {
      expect(sync).toContain(`"${name}"`);
    }
    expect(sync).toContain('knowledge-sync');
  });
});

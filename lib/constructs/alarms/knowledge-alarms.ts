import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FULFILLMENT_SERVICE, KNOWLEDGE_SYNC_SERVICE, Metric, MetricName } from '../../../contracts/metrics';
import { AlarmFactory, AlarmGroup } from './alarm-factory';
import { FIVE_MINUTES, platformMetric } from './metrics';

export interface KnowledgeAlarmsProps {
  readonly factory: AlarmFactory;
  /** Alarm when knowledge turns answered "I don't know" / knowledge turns exceeds this (0..1). */
  readonly noAnswerRateMax: number;
  /** The knowledge sync's dead-letter queue: a change that could not be synced lands there. */
  readonly syncDeadLetterQueue?: sqs.IQueue;
}

/** Fewer knowledge turns than this in 5 minutes and the no-answer rate is noise: it reads 0. */
export const NO_ANSWER_RATE_MIN_TURNS = 20;

/** A fulfillment metric (Sum over 5 minutes), missing datapoints as 0 in expressions. */
const turns = (name: MetricName): cloudwatch.Metric => platformMetric(FULFILLMENT_SERVICE, name);

/**
 * What the knowledge answers say (the fulfillment's EMF metrics): the share of turns answered
 * from the documents, answered "I don't know" and stopped by the guardrail, alarmed when the
 * no-answer rate of knowledge turns passes the config threshold (the documents miss what users
 * ask); and the sync: jobs started, deferred and failed, and changes dead-lettered (alarmed).
 */
export class KnowledgeAlarms extends AlarmGroup {
  readonly widgets: readonly cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: KnowledgeAlarmsProps) {
    super(scope, id, props.factory);
    const using = {
      answered: turns(Metric.KnowledgeAnswered),
      noanswer: turns(Metric.KnowledgeNoAnswer),
      guardrail: turns(Metric.GuardrailIntervened),
      unavailable: turns(Metric.KnowledgeUnavailable),
      turns: turns(Metric.Turns),
    };
    const knowledgeTurns = 'FILL(answered, 0) + FILL(noanswer, 0)';
    const noAnswerRate = new cloudwatch.MathExpression({
      expression: `IF(${knowledgeTurns} >= ${NO_ANSWER_RATE_MIN_TURNS}, FILL(noanswer, 0) / (${knowledgeTurns}), 0)`,
      usingMetrics: { answered: using.answered, noanswer: using.noanswer },
      label: 'No-answer rate of knowledge turns',
      period: FIVE_MINUTES,
    });
    this.alarm('KnowledgeNoAnswerRate', noAnswerRate, {
      threshold: props.noAnswerRateMax,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `Knowledge turns answered "I don't know" / knowledge turns above ${props.noAnswerRateMax}: the documents do not cover what users ask (see docs/deployment.md, "Knowledge sync"), or retrieval is failing.`,
    });
    const perTurn = (label: string, variable: 'answered' | 'noanswer' | 'guardrail' | 'unavailable') =>
      new cloudwatch.MathExpression({
        expression: `IF(FILL(turns, 0) > 0, FILL(${variable}, 0) / turns, 0)`,
        usingMetrics: { [variable]: using[variable], turns: using.turns },
        label,
        period: FIVE_MINUTES,
      });
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'Knowledge answers per turn',
        left: [
          perTurn('Answered from the documents', 'answered'),
          perTurn('No answer', 'noanswer'),
          perTurn('Guardrail intervened', 'guardrail'),
          perTurn('Knowledge unavailable', 'unavailable'),
        ],
        leftYAxis: { min: 0 },
      }),
      new cloudwatch.GraphWidget({
        title: 'No-answer rate of knowledge turns',
        left: [noAnswerRate],
        leftYAxis: { min: 0, max: 1 },
        leftAnnotations: [{ value: props.noAnswerRateMax, label: 'alarm' }],
      }),
      new cloudwatch.GraphWidget({
        title: 'Knowledge latency (ms)',
        left: [
          platformMetric(FULFILLMENT_SERVICE, Metric.KnowledgeLatency, 'p50'),
          platformMetric(FULFILLMENT_SERVICE, Metric.KnowledgeLatency, 'p99'),
        ],
      }),
    ];
    const sync = [Metric.KnowledgeSyncStarted, Metric.KnowledgeSyncDeferred, Metric.KnowledgeSyncFailed].map(
      (m) => platformMetric(KNOWLEDGE_SYNC_SERVICE, m),
    );
    if (props.syncDeadLetterQueue) {
      const deadLetters = props.syncDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      });
      this.alarm('KnowledgeSyncDeadLetters', deadLetters, {
        threshold: 1,
        description:
          'A document change could not be synced after its retries (in the knowledge sync dead-letter queue): see the sync function\'s "ingestion job not started" log entries, then start a sync by hand (docs/deployment.md, "Knowledge sync").',
      });
      widgets.push(new cloudwatch.GraphWidget({ title: 'Knowledge sync', left: sync, right: [deadLetters] }));
    } else {
      widgets.push(new cloudwatch.GraphWidget({ title: 'Knowledge sync', left: sync }));
    }
    this.widgets = widgets;
  }
}

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DEGRADED_METRICS, FULFILLMENT_SERVICE, Metric, MetricName } from '../../../contracts/metrics';
import { AlarmFactory, AlarmGroup } from './alarm-factory';
import { FIVE_MINUTES, platformMetric, sumOf } from './metrics';

export interface TurnAlarmsProps {
  readonly factory: AlarmFactory;
  /** Alarm when recognized turns / all turns falls below this (0..1). */
  readonly intentRecognitionRateMin: number;
  /** p99 fulfillment turn latency (`TurnLatency`), ms. */
  readonly fulfillmentP99Ms: number;
  /** Turns answered after a defect of our own (`TurnDefects`) in one minute. */
  readonly turnDefects: number;
  /** Code-hook events rejected as not Lex V2 (`InvalidEvents`) in 5 minutes. */
  readonly invalidEvents: number;
}

/** Fewer turns than this in 5 minutes and the recognition rate is noise: it reads 1 (healthy). */
export const RECOGNITION_RATE_MIN_TURNS = 20;

/**
 * What the fulfillment handler says about the turns (its EMF metrics): intent recognition rate,
 * the metric the platform is judged by, turn latency, defects of our own and rejected events;
 * and the graphs of turns, latency, degraded paths and defects.
 */
export class TurnAlarms extends AlarmGroup {
  readonly widgets: readonly cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: TurnAlarmsProps) {
    super(scope, id, props.factory);
    const recognitionRate = new cloudwatch.MathExpression({
      expression: `IF(turns >= ${RECOGNITION_RATE_MIN_TURNS}, recognized / turns, 1)`,
      usingMetrics: { recognized: turns(Metric.RecognizedTurns), turns: turns(Metric.Turns) },
      label: 'Intent recognition rate',
      period: FIVE_MINUTES,
    });
    this.alarm('IntentRecognitionRate', recognitionRate, {
      threshold: props.intentRecognitionRateMin,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `Recognized turns / all turns below ${props.intentRecognitionRateMin}: the bot is failing to understand users (check the bot model and the NLU threshold).`,
    });
    this.alarm('FulfillmentLatencyP99', turns(Metric.TurnLatency, 'p99'), {
      threshold: props.fulfillmentP99Ms,
      evaluationPeriods: 3,
      description: `p99 fulfillment turn latency above ${props.fulfillmentP99Ms} ms`,
    });
    const defects = turns(Metric.TurnDefects, 'Sum', Duration.minutes(1));
    this.alarm('TurnDefects', defects, {
      threshold: props.turnDefects,
      description: `${props.turnDefects}+ turns in a minute hit a defect of ours (caught and answered "sorry"): see the fulfillment's "turn failed" log entries`,
    });
    this.alarm('InvalidEvents', turns(Metric.InvalidEvents), {
      threshold: props.invalidEvents,
      description: `${props.invalidEvents}+ code-hook events in 5 minutes rejected as not Lex V2: see the fulfillment's "rejected code-hook event" log entries (a caller other than the bot, or a Lex change)`,
    });
    this.widgets = graphs(recognitionRate, defects);
  }
}

/** A fulfillment metric (service `fulfillment`). */
function turns(name: MetricName, statistic?: string, period?: Duration): cloudwatch.Metric {
  return platformMetric(FULFILLMENT_SERVICE, name, statistic, period);
}

/** The dashboard's graphs of the turns: recognition, volume, latency, degraded paths, defects. */
function graphs(recognitionRate: cloudwatch.IMetric, defects: cloudwatch.IMetric): cloudwatch.IWidget[] {
  const degraded = sumOf(
    'Degraded turns',
    Object.fromEntries(DEGRADED_METRICS.map((m, i) => [`d${i}`, turns(m)])),
  );
  return [
    new cloudwatch.GraphWidget({
      title: 'Intent recognition rate',
      left: [recognitionRate],
      leftYAxis: { min: 0, max: 1 },
    }),
    new cloudwatch.GraphWidget({
      title: 'Turns',
      left: [turns(Metric.Turns), turns(Metric.RecognizedTurns), turns(Metric.FallbackTurns)],
    }),
    new cloudwatch.GraphWidget({
      title: 'Turn latency (ms)',
      left: [turns(Metric.TurnLatency, 'p50'), turns(Metric.TurnLatency, 'p99')],
    }),
    new cloudwatch.GraphWidget({
      title: 'Degraded turns',
      left: [degraded, turns(Metric.Escalations), turns(Metric.NegativeSentiment)],
    }),
    new cloudwatch.GraphWidget({
      title: 'Defects (turns answered "sorry") / rejected events',
      left: [defects],
      right: [turns(Metric.InvalidEvents)],
    }),
  ];
}

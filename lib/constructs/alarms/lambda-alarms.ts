import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AlarmFactory, AlarmGroup } from './alarm-factory';
import { FIVE_MINUTES } from './metrics';

/** One watched function and its own p99 duration threshold. */
export interface WatchedFunction {
  readonly fn: lambda.IFunction;
  /** Alarm when its p99 duration exceeds this, ms. */
  readonly durationP99Ms: number;
}

export interface LambdaAlarmsProps {
  readonly factory: AlarmFactory;
  /**
   * The functions, by the name their alarms start with (`<name>Errors`, `<name>Throttles`,
   * `<name>DurationP99`).
   */
  readonly functions: Readonly<Record<string, WatchedFunction>>;
  /** Alarm when a function's errors in 5 minutes reach this. */
  readonly errors: number;
  /** The function whose concurrency is watched against its reservation, and that reservation. */
  readonly reserved: { readonly name: string; readonly fn: lambda.IFunction; readonly concurrency: number };
}

/** Share of the reserved concurrency at which to alarm. */
export const CONCURRENCY_ALARM_SHARE = 0.8;

/**
 * The functions of the conversation path: errors, throttles and p99 duration of each, and the
 * reserved function's concurrency before it reaches its reservation.
 */
export class LambdaAlarms extends AlarmGroup {
  readonly widgets: readonly cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: LambdaAlarmsProps) {
    super(scope, id, props.factory);
    for (const [name, { fn, durationP99Ms }] of Object.entries(props.functions)) {
      this.alarm(`${name}Errors`, fn.metricErrors({ period: FIVE_MINUTES }), {
        threshold: props.errors,
        description: `${name} Lambda errors`,
      });
      this.alarm(`${name}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES }), {
        threshold: 1,
        description: `${name} Lambda throttled`,
      });
      this.alarm(`${name}DurationP99`, fn.metricDuration({ statistic: 'p99', period: FIVE_MINUTES }), {
        threshold: durationP99Ms,
        evaluationPeriods: 3,
        description: `${name} Lambda p99 duration above ${durationP99Ms} ms`,
      });
    }
    const { name, fn, concurrency: reserved } = props.reserved;
    const concurrency = fn.metric('ConcurrentExecutions', {
      statistic: 'Maximum',
      period: Duration.minutes(1),
    });
    this.alarm(`${name}ConcurrencyNearLimit`, concurrency, {
      threshold: Math.floor(reserved * CONCURRENCY_ALARM_SHARE),
      evaluationPeriods: 3,
      description: `${name} concurrency above ${CONCURRENCY_ALARM_SHARE * 100}% of its reserved ${reserved}: raise it (capacity model) before users are throttled`,
    });
    const fns = Object.values(props.functions).map((f) => f.fn);
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: 'Lambda errors / throttles',
        left: fns.map((f) => f.metricErrors()),
        right: fns.map((f) => f.metricThrottles()),
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda p99 duration (ms)',
        left: fns.map((f) => f.metricDuration({ statistic: 'p99' })),
      }),
      new cloudwatch.GraphWidget({ title: `${name} concurrency`, left: [concurrency] }),
    ];
  }
}

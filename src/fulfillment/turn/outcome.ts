/**
 * How a turn meets a failing dependency: every call is attempted (never thrown past the turn),
 * and a failure becomes a Degradation, which the turn counts, logs at warn and names in its
 * conversation event. A failure degrades the answer, never stops it.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName } from '../../../contracts/metrics';
import { InvocationLog } from '../../util/invocation-log';
import type { FulfillmentDeps } from '../deps';
import { NO_TRACE, type TurnTrace } from '../trace';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function attempt<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

export const errorName = (err: unknown): string => (err instanceof Error ? err.name : typeof err);

/** A dependency call that failed: the metric it counts as, the error, and what was called. */
export interface Degradation {
  readonly metric: MetricName;
  readonly error: unknown;
  readonly what: string;
}

/** The degradations of a step's outcome, if it failed (none when it was not called). */
export function degradationOf(
  outcome: Outcome<unknown> | undefined,
  metric: MetricName,
  what: string,
): Degradation[] {
  return outcome && !outcome.ok ? [{ metric, error: outcome.error, what }] : [];
}

/**
 * What every step of a turn works with: the handler's dependencies and its clock and counter,
 * and this invocation's own log (its conversation id, locale and turn on every line) and trace.
 */
export interface TurnContext {
  readonly deps: FulfillmentDeps;
  /** Per-call budget, ms (config.dependencyTimeoutMs). */
  readonly budget: number;
  readonly now: () => number;
  count(name: MetricName, value?: number): void;
  /** This invocation's log lines: never keys set on the shared Logger (src/util/invocation-log.ts). */
  readonly log: InvocationLog;
  /** This invocation's trace annotations (NO_TRACE when tracing is off). */
  readonly trace: TurnTrace;
}

export function turnContext(
  deps: FulfillmentDeps,
  invocation: Partial<Pick<TurnContext, 'log' | 'trace'>> = {},
): TurnContext {
  const { metrics } = deps;
  return {
    deps,
    budget: deps.config.dependencyTimeoutMs,
    now: deps.now ?? Date.now,
    count: (name, value = 1) => {
      metrics.addMetric(name, MetricUnit.Count, value);
    },
    log: invocation.log ?? new InvocationLog(deps.logger),
    trace: invocation.trace ?? NO_TRACE,
  };
}

/** The context of one invocation: the handler's, with the invocation's own log and trace. */
export function forInvocation(ctx: TurnContext, log: InvocationLog, trace: TurnTrace): TurnContext {
  return { ...ctx, log, trace };
}

/** The dependencies degraded so far in one turn, in the order they were noted. */
export class DegradedLog {
  private readonly names = new Set<MetricName>();

  constructor(private readonly ctx: TurnContext) {}

  /** Counts each degradation and logs it at warn (no values from the turn, only the error's name). */
  note(degradations: readonly Degradation[]): void {
    for (const { metric, error, what } of degradations) {
      this.names.add(metric);
      this.ctx.count(metric);
      this.ctx.log.warn(`${what} degraded`, { metric, errorName: errorName(error) });
    }
  }

  /** Marks a metric degraded without counting or logging it (the caller does both). */
  add(metric: MetricName): void {
    this.names.add(metric);
  }

  has(metric: MetricName): boolean {
    return this.names.has(metric);
  }

  list(): MetricName[] {
    return [...this.names];
  }
}

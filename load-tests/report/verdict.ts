/**
 * The report's capacity verdict: what a load test measured compared with the capacity model
 * (lib/config/capacity/): whether the target held, what the measured rate extrapolates to, and
 * how many such runs the model's peak needs. Pure.
 */
import { SECONDS_PER_DAY, type CapacityPlan } from '../../lib/config/capacity/model';
import { CAPACITY_PLAN } from '../../lib/config/capacity/plan';

/** What a load test measured, to compare with the model. */
export interface MeasuredThroughput {
  /** Turns/s achieved while holding the target (or overall). */
  readonly turnsPerSecond: number;
  /** Turns/s the run aimed at. */
  readonly targetTurnsPerSecond: number;
  /** Measured mean turn latency, ms (client side: the per-turn cost seen end to end). */
  readonly meanTurnMs: number;
  /** p99 turn latency, ms. */
  readonly p99TurnMs: number;
  /** Share of turns that failed (0..1). */
  readonly errorRate: number;
  /** Load generators (distributed workers; 1 for a single process). */
  readonly workers: number;
}

export interface CapacityVerdict {
  /** Whether the run achieved its target rate (within 10%) with errors under the limit. */
  readonly targetHeld: boolean;
  /** achieved / target. */
  readonly achievedRatio: number;
  /** The model's peak turns/s. */
  readonly modelPeakTurnsPerSecond: number;
  /** Peak turns/s / measured turns/s: how many such units the peak needs. */
  readonly scaleOutFactor: number;
  /** Conversations/day the measured rate carries at the model's turns/conversation and peak factor. */
  readonly extrapolatedConversationsPerDay: number;
  /** The measured latency compared with the model's per-turn channel cost. */
  readonly measuredVsModelTurnMs: {
    readonly measured: number;
    readonly model: number;
    readonly ratio: number;
  };
  /** Concurrency the peak needs at the measured latency (Little's law). */
  readonly concurrencyAtPeakWithMeasuredLatency: number;
  /** true when the measured rate alone reaches the model's peak. */
  readonly meetsModelPeak: boolean;
  readonly summary: string;
}

/**
 * The report's verdict: what the measured throughput extrapolates to and whether the target
 * held. A local run on one machine is a scaled-down unit: its extrapolation says how many such
 * units the peak needs, not that one machine must carry it.
 */
export function capacityVerdict(
  measured: MeasuredThroughput,
  plan: CapacityPlan = CAPACITY_PLAN,
  opts: { maxErrorRate?: number } = {},
): CapacityVerdict {
  const maxErrorRate = opts.maxErrorRate ?? 0.01;
  const achievedRatio =
    measured.targetTurnsPerSecond > 0 ? measured.turnsPerSecond / measured.targetTurnsPerSecond : 0;
  const targetHeld = achievedRatio >= 0.9 && measured.errorRate <= maxErrorRate;
  const peak = plan.peakTurnsPerSecond;
  const scaleOutFactor = measured.turnsPerSecond > 0 ? peak / measured.turnsPerSecond : Infinity;
  const extrapolatedConversationsPerDay =
    (measured.turnsPerSecond / plan.inputs.peakFactor / plan.inputs.turnsPerConversation) * SECONDS_PER_DAY;
  const modelMs = plan.inputs.perTurn.channelLambdaMs;
  const meetsModelPeak = measured.turnsPerSecond >= peak * 0.9 && measured.errorRate <= maxErrorRate;
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const summary = [
    targetHeld
      ? `Target held: ${measured.turnsPerSecond.toFixed(1)} turns/s of ${measured.targetTurnsPerSecond} aimed at (${(achievedRatio * 100).toFixed(0)}%), error rate ${(measured.errorRate * 100).toFixed(2)}%.`
      : `Target NOT held: ${measured.turnsPerSecond.toFixed(1)} turns/s of ${measured.targetTurnsPerSecond} aimed at (${(achievedRatio * 100).toFixed(0)}%), error rate ${(measured.errorRate * 100).toFixed(2)}%.`,
    `At the model's ${plan.inputs.turnsPerConversation} turns/conversation and ${plan.inputs.peakFactor}x peak, ${measured.turnsPerSecond.toFixed(1)} turns/s carries ${fmt(extrapolatedConversationsPerDay)} conversations/day; the requirement (${fmt(plan.inputs.conversationsPerDay)}/day) needs ${fmt(peak)} turns/s at peak, ${scaleOutFactor.toFixed(1)}x this run.`,
    meetsModelPeak
      ? 'The measured rate reaches the model peak.'
      : `This run does not by itself demonstrate the peak: ${measured.workers > 1 ? 'more workers' : 'a distributed run against staging'} must.`,
    `Measured mean turn ${measured.meanTurnMs.toFixed(0)} ms vs the model's ${modelMs} ms channel cost (x${(measured.meanTurnMs / modelMs).toFixed(2)}): at peak that is ${fmt((peak * measured.meanTurnMs) / 1000)} concurrent turns in flight.`,
  ].join(' ');
  return {
    targetHeld,
    achievedRatio,
    modelPeakTurnsPerSecond: peak,
    scaleOutFactor,
    extrapolatedConversationsPerDay,
    measuredVsModelTurnMs: {
      measured: measured.meanTurnMs,
      model: modelMs,
      ratio: measured.meanTurnMs / modelMs,
    },
    concurrencyAtPeakWithMeasuredLatency: (peak * measured.meanTurnMs) / 1000,
    meetsModelPeak,
    summary,
  };
}

/** The headline verdict on the run's thresholds (Artillery's exit code counts too). */
export interface ThresholdsVerdict {
  readonly passed: boolean;
  readonly word: 'PASSED' | 'FAILED';
  /** `4 of 4 thresholds passed`, or which failed and what they measured. */
  readonly detail: string;
}

/** The headline verdict on capacity: whether this run demonstrates the model's peak. */
export interface CapacityDemonstration {
  readonly demonstrated: boolean;
  readonly word: 'DEMONSTRATED' | 'NOT DEMONSTRATED';
  /** The requirement the verdict is about: `10,000,000 conversations/day`. */
  readonly requirement: string;
  /** Hold turns/s / the model's peak turns/s. */
  readonly shareOfPeak: number;
  readonly detail: string;
  /** The command that demonstrates it (the staging capacity run), with enough workers. */
  readonly command: string;
}

/** A threshold as the verdict reads it: its rule, whether it passed, and the value measured. */
export interface JudgedThreshold {
  readonly expression: string;
  readonly passed: boolean;
  readonly value: number | null;
}

export function thresholdsVerdict(
  thresholds: readonly JudgedThreshold[],
  artilleryExitCode: number,
): ThresholdsVerdict {
  const failed = thresholds.filter((t) => !t.passed);
  const passed = failed.length === 0 && artilleryExitCode === 0;
  const parts = [
    failed.length
      ? `${failed.length} of ${thresholds.length} thresholds failed: ${failed
          .map((t) => `${t.expression} (measured ${t.value === null ? 'missing' : +t.value.toFixed(2)})`)
          .join('; ')}`
      : `${thresholds.length} of ${thresholds.length} thresholds passed`,
    ...(artilleryExitCode !== 0 ? [`Artillery exited with ${artilleryExitCode}`] : []),
  ];
  return { passed, word: passed ? 'PASSED' : 'FAILED', detail: `${parts.join('; ')}.` };
}

/** What the run was, for the capacity verdict's command. */
export interface RunShape {
  readonly environment: string;
  readonly profile: string;
  /** Load generators: 1 for one process, N for a distributed run. */
  readonly workers: number;
  /** The distributed workers the staging capacity run is configured with (`STAGING.loadTest.workers`). */
  readonly stagingWorkers: number;
}

/** At most this many Fargate workers (`--distributed` takes 1-100). */
const MAX_WORKERS = 100;

/**
 * The workers a staging capacity run needs: the configured count, or, when this was a
 * distributed staging/prod capacity run that fell short, enough more (10% spare) to reach the peak.
 */
function workersToDemonstrate(run: RunShape, shareOfPeak: number): number {
  const distributedCapacityRun =
    run.profile === 'capacity' &&
    run.workers > 1 &&
    (run.environment === 'staging' || run.environment === 'prod');
  const needed =
    distributedCapacityRun && shareOfPeak > 0
      ? Math.ceil((run.workers / shareOfPeak) * 1.1)
      : run.stagingWorkers;
  return Math.min(MAX_WORKERS, Math.max(1, needed, distributedCapacityRun ? run.workers : 1));
}

/** The command that demonstrates the model's peak: a distributed capacity run against staging. */
export function demonstrateCommand(workers: number): string {
  return (
    'LOADTEST_ROLE_ARN=<staging LoadTestInvokerRoleArn output> npm run loadtest -- ' +
    `--target <staging ApiUrl output> --profile capacity --env staging --distributed ${workers}`
  );
}

/**
 * Capacity is demonstrated when the run held the model's peak (>= 90% of it, errors within the
 * budget: `verdict.meetsModelPeak`) and every threshold passed (latency at that rate included).
 */
export function capacityDemonstration(
  verdict: CapacityVerdict,
  measured: { readonly holdTurnsPerSecond: number; readonly thresholdsPassed: boolean },
  run: RunShape,
  plan: CapacityPlan = CAPACITY_PLAN,
): CapacityDemonstration {
  const peak = plan.peakTurnsPerSecond;
  const shareOfPeak = peak > 0 ? measured.holdTurnsPerSecond / peak : 0;
  const demonstrated = verdict.meetsModelPeak && measured.thresholdsPassed;
  const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const share = `${(shareOfPeak * 100).toFixed(shareOfPeak < 0.1 ? 1 : 0)}%`;
  const reached = `This run held ${fmt(measured.holdTurnsPerSecond)} turns/s: ${share} of the model's peak of ${fmt(peak)} turns/s`;
  let detail: string;
  if (demonstrated) detail = `${reached}, with every threshold passed.`;
  else if (verdict.meetsModelPeak)
    detail = `${reached}, but a threshold failed: the peak was not carried within the limits.`;
  else
    detail = `${reached}.${run.environment === 'local' ? ' One local machine is a scaled-down unit: it cannot show the peak.' : ''}`;
  return {
    demonstrated,
    word: demonstrated ? 'DEMONSTRATED' : 'NOT DEMONSTRATED',
    requirement: `${Math.round(plan.inputs.conversationsPerDay).toLocaleString('en-US')} conversations/day`,
    shareOfPeak,
    detail,
    command: demonstrateCommand(workersToDemonstrate(run, shareOfPeak)),
  };
}

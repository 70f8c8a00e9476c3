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

/**
 * The capacity plan for the product requirement (the model, model.ts, at its defaults) and the
 * sizing the stacks take from it: environments.ts sizes staging and prod from `PLANNED_SIZING`
 * (fulfillment reserved concurrency, prod's Kinesis shards, the channel API throttle); the load
 * tests aim at its peak.
 */
import { DEFAULT_CAPACITY_INPUTS, planCapacity, type CapacityPlan } from './model';

/** Headroom of the channel API's steady-state throttle over the planned peak turns/s. */
export const API_THROTTLE_HEADROOM = 1.25;

/**
 * Channel API throttling for an environment that carries the planned peak: the peak with
 * headroom, rounded up to a hundred requests/s, and a burst of twice that. Below the peak the
 * capacity load test would be answered with 429s.
 */
export function apiThrottle(peakTurnsPerSecond: number): {
  readonly apiThrottleRateLimit: number;
  readonly apiThrottleBurstLimit: number;
} {
  const rate = Math.ceil((peakTurnsPerSecond * API_THROTTLE_HEADROOM) / 100) * 100;
  return { apiThrottleRateLimit: rate, apiThrottleBurstLimit: 2 * rate };
}

/** The plan for the product requirement; environments.ts sizes staging and prod from it. */
export const CAPACITY_PLAN: CapacityPlan = planCapacity(DEFAULT_CAPACITY_INPUTS);

/** Sizing the stacks take from the model (staging and prod carry the full peak). */
export const PLANNED_SIZING = {
  kinesisShardCount: CAPACITY_PLAN.kinesis.shards,
  fulfillmentReservedConcurrency: CAPACITY_PLAN.lambda.fulfillmentReservedConcurrency,
  ...apiThrottle(CAPACITY_PLAN.peakTurnsPerSecond),
} as const;

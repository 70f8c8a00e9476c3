/**
 * The capacity plan for the product requirement (the model, model.ts, at its defaults) and the
 * sizing the stacks take from it: environments.ts sizes staging and prod from `PLANNED_SIZING`
 * (fulfillment reserved concurrency, prod's Kinesis shards, the channel API throttle); the load
 * tests aim at its peak.
 */
import { DEFAULT_CAPACITY_INPUTS, planCapacity, type CapacityPlan } from './model';
import { API_GATEWAY_ACCOUNT_QUOTAS } from './quotas';

/** Headroom of the channel API's steady-state throttle over the planned peak requests/s. */
export const API_THROTTLE_HEADROOM = 1.25;

/**
 * Channel API throttling for an environment that carries the planned peak (turns and feedback
 * requests, `peakChannelRequestsPerSecond`): the peak with
 * headroom, rounded up to a hundred requests/s, and a burst of twice that, capped at the
 * account-level burst of API Gateway (`account`, quotas.ts): a stage's burst above the account's
 * bucket is never honoured. Below the peak the capacity load test would be answered with 429s.
 * Throws when the rate itself is above the account's rate or burst: request the increase first,
 * then pass the granted quota as `account`.
 */
export function apiThrottle(
  peakRequestsPerSecond: number,
  account: { readonly requestsPerSecond: number; readonly burst: number } = API_GATEWAY_ACCOUNT_QUOTAS,
): {
  readonly apiThrottleRateLimit: number;
  readonly apiThrottleBurstLimit: number;
} {
  const rate = Math.ceil((peakRequestsPerSecond * API_THROTTLE_HEADROOM) / 100) * 100;
  const ceiling = Math.min(account.requestsPerSecond, account.burst);
  if (rate > ceiling) {
    throw new Error(
      `the channel API needs ${rate} requests/s, above API Gateway's account-level throttle ` +
        `(rate ${account.requestsPerSecond}/s, burst ${account.burst}): request the increase, then pass the granted quota`,
    );
  }
  return { apiThrottleRateLimit: rate, apiThrottleBurstLimit: Math.min(2 * rate, account.burst) };
}

/** The plan for the product requirement; environments.ts sizes staging and prod from it. */
export const CAPACITY_PLAN: CapacityPlan = planCapacity(DEFAULT_CAPACITY_INPUTS);

/** Sizing the stacks take from the model (staging and prod carry the full peak). */
export const PLANNED_SIZING = {
  kinesisShardCount: CAPACITY_PLAN.kinesis.shards,
  fulfillmentReservedConcurrency: CAPACITY_PLAN.lambda.fulfillmentReservedConcurrency,
  ticketWorkerMaxConcurrency: CAPACITY_PLAN.tickets.workerMaxConcurrency,
  ...apiThrottle(CAPACITY_PLAN.peakChannelRequestsPerSecond),
} as const;

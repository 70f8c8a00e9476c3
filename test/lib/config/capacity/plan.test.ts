/**
 * The plan for the requirement and the stacks' sizing taken from it
 * (lib/config/capacity/plan.ts, lib/config/environments.ts).
 */
import { DEV, PROD, STAGING } from '../../../../lib/config/environments';
import { apiThrottle, CAPACITY_PLAN, PLANNED_SIZING } from '../../../../lib/config/capacity/plan';
import { API_GATEWAY_ACCOUNT_QUOTAS } from '../../../../lib/config/capacity/quotas';

describe('the stacks take their sizing from the model', () => {
  test('GIVEN the capacity plan WHEN the stages are sized THEN staging and prod reserve the planned fulfillment concurrency; prod provisions the planned shards', () => {
    expect(PLANNED_SIZING.fulfillmentReservedConcurrency).toBe(
      CAPACITY_PLAN.lambda.fulfillmentReservedConcurrency,
    );
    expect(STAGING.lambda.reservedConcurrency).toBe(928);
    expect(PROD.lambda.reservedConcurrency).toBe(928);
    expect(PROD.kinesis).toMatchObject({ mode: 'PROVISIONED', shardCount: CAPACITY_PLAN.kinesis.shards });
    // dev is sized for its smoke test, not the peak
    expect(DEV.lambda.reservedConcurrency).toBeLessThan(PROD.lambda.reservedConcurrency);
  });

  test('GIVEN the peak WHEN the channel API throttle is sized THEN that of staging and prod carries it with headroom (hand-checked)', () => {
    // 2,083.3 turns/s x 1.25 = 2,604.2 -> rounded up to a hundred: 2,700; burst twice that, but
    // API Gateway's account-level burst (5,000) caps it: a stage's burst above it is never honoured
    expect(apiThrottle(2083.33)).toEqual({ apiThrottleRateLimit: 2700, apiThrottleBurstLimit: 5000 });
    expect(apiThrottle(400)).toEqual({ apiThrottleRateLimit: 500, apiThrottleBurstLimit: 1000 });
    for (const env of [STAGING, PROD]) {
      expect(env.api).toMatchObject({ throttleRateLimit: 2700, throttleBurstLimit: 5000 });
      expect(env.api.throttleBurstLimit).toBeLessThanOrEqual(API_GATEWAY_ACCOUNT_QUOTAS.burst);
      // the capacity load test must not be answered with 429s
      expect(env.api.throttleRateLimit).toBeGreaterThan(CAPACITY_PLAN.peakTurnsPerSecond);
      // nor the feedback requests that share the stage with the turns
      expect(env.api.throttleRateLimit).toBeGreaterThan(CAPACITY_PLAN.peakChannelRequestsPerSecond);
    }
  });

  test('GIVEN the account-level quota WHEN the throttle is sized THEN the quota is the ceiling: a granted increase lifts it, a rate above it is refused', () => {
    expect(API_GATEWAY_ACCOUNT_QUOTAS).toEqual({ requestsPerSecond: 10_000, burst: 5_000 });
    // with an account burst raised to 8,000: twice the rate again
    expect(apiThrottle(2083.33, { requestsPerSecond: 10_000, burst: 8_000 })).toEqual({
      apiThrottleRateLimit: 2700,
      apiThrottleBurstLimit: 5400,
    });
    // 4,500 turns/s -> 5,700 requests/s: above the 5,000 burst, so no valid burst >= rate
    expect(() => apiThrottle(4500)).toThrow(
      "the channel API needs 5700 requests/s, above API Gateway's account-level throttle (rate 10000/s, burst 5000)",
    );
    expect(() => apiThrottle(9000, { requestsPerSecond: 10_000, burst: 20_000 })).toThrow(
      /needs 11300 requests\/s/,
    );
  });

  test('GIVEN the capacity plan WHEN the stages are sized THEN the planned sizing is as expected, in full', () => {
    expect(PLANNED_SIZING).toEqual({
      kinesisShardCount: 6,
      fulfillmentReservedConcurrency: 928,
      ticketWorkerMaxConcurrency: 8,
      apiThrottleRateLimit: 2700,
      apiThrottleBurstLimit: 5000,
    });
  });
});

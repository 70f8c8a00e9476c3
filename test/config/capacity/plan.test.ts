/**
 * The plan for the requirement and the stacks' sizing taken from it
 * (lib/config/capacity/plan.ts, lib/config/environments.ts).
 */
import { DEV, PROD, STAGING } from '../../../lib/config/environments';
import { apiThrottle, CAPACITY_PLAN, PLANNED_SIZING } from '../../../lib/config/capacity/plan';

describe('the stacks take their sizing from the model', () => {
  test('staging and prod reserve the planned fulfillment concurrency; prod provisions the planned shards', () => {
    expect(PLANNED_SIZING.fulfillmentReservedConcurrency).toBe(
      CAPACITY_PLAN.lambda.fulfillmentReservedConcurrency,
    );
    expect(STAGING.lambda.reservedConcurrency).toBe(407);
    expect(PROD.lambda.reservedConcurrency).toBe(407);
    expect(PROD.kinesis).toMatchObject({ mode: 'PROVISIONED', shardCount: CAPACITY_PLAN.kinesis.shards });
    // dev is sized for its smoke test, not the peak
    expect(DEV.lambda.reservedConcurrency).toBeLessThan(PROD.lambda.reservedConcurrency);
  });

  test('the channel API throttle of staging and prod carries the peak with headroom (hand-checked)', () => {
    // 2,083.3 turns/s x 1.25 = 2,604.2 -> rounded up to a hundred: 2,700; burst twice that
    expect(apiThrottle(2083.33)).toEqual({ apiThrottleRateLimit: 2700, apiThrottleBurstLimit: 5400 });
    expect(apiThrottle(400)).toEqual({ apiThrottleRateLimit: 500, apiThrottleBurstLimit: 1000 });
    for (const env of [STAGING, PROD]) {
      expect(env.api).toEqual({ throttleRateLimit: 2700, throttleBurstLimit: 5400 });
      // the capacity load test must not be answered with 429s
      expect(env.api.throttleRateLimit).toBeGreaterThan(CAPACITY_PLAN.peakTurnsPerSecond);
    }
  });

  test('the planned sizing, in full', () => {
    expect(PLANNED_SIZING).toEqual({
      kinesisShardCount: 6,
      fulfillmentReservedConcurrency: 407,
      apiThrottleRateLimit: 2700,
      apiThrottleBurstLimit: 5400,
    });
  });
});

/**
 * The capacity model's arithmetic, checked against numbers worked out by hand (in the comments),
 * and the stacks' sizing taken from it.
 */
import {
  CAPACITY_PLAN,
  capacityVerdict,
  DEFAULT_CAPACITY_INPUTS,
  DEFAULT_PER_TURN_COST,
  formatCapacityTable,
  kinesisShards,
  PLANNED_SIZING,
  apiThrottle,
  peakTurnsPerSecond,
  planCapacity,
  roundUpQuota,
  type CapacityInputs,
} from '../../lib/config/capacity';
import { DEV, PROD, STAGING } from '../../lib/config/environments';
import { parseCapacityArgs } from '../../scripts/capacity';

const dependency = (plan: ReturnType<typeof planCapacity>, prefix: string) => {
  const d = plan.dependencies.find((x) => x.dependency.startsWith(prefix));
  if (!d) throw new Error(`no dependency ${prefix}`);
  return d;
};

describe('the requirement: 10M conversations/day x 6 turns, 3x peak', () => {
  // GIVEN the defaults
  const plan = planCapacity(DEFAULT_CAPACITY_INPUTS);

  test('60M turns/day is 694.4 turns/s on average and 2,083.3 at peak', () => {
    // 10,000,000 x 6 = 60,000,000; / 86,400 = 694.44; x 3 = 2,083.33; / 6 = 347.2 conversations/s
    expect(plan.turnsPerDay).toBe(60_000_000);
    expect(plan.averageTurnsPerSecond).toBeCloseTo(694.444, 2);
    expect(plan.peakTurnsPerSecond).toBeCloseTo(2083.333, 2);
    expect(plan.peakConversationsPerSecond).toBeCloseTo(347.222, 2);
  });

  test('Lambda: fulfillment reserves 407, the account needs 1,189 > 1,000, so an increase to 1,500', () => {
    // fulfillment 2,083.33 x 1.3 hooks x 0.120 s = 325.0; x 1.25 = 406.25 -> 407
    // channel     2,083.33 x 0.300 s              = 625.0; x 1.25 = 781.25 -> 782; 407 + 782 = 1,189
    expect(plan.lambda.fulfillmentConcurrency).toBeCloseTo(325, 6);
    expect(plan.lambda.channelConcurrency).toBeCloseTo(625, 6);
    expect(plan.lambda.fulfillmentReservedConcurrency).toBe(407);
    expect(plan.lambda.accountConcurrency).toBe(1189);
    const lambda = dependency(plan, 'Lambda');
    expect(lambda.verdict).toBe('increase');
    // 1,189 x 1.25 = 1,486.25 -> 2 significant figures up -> 1,500
    expect(lambda.requestQuota).toBe(1500);
  });

  test('Kinesis: 2,083 records/s of 600 B needs 3 shards flat out, 6 at 50% with 1.25x headroom', () => {
    // records: 2,083.33 / 1,000 = 2.08 shards; bytes: 1,250,000 / 1,048,576 = 1.19 shards
    // 2.08 x 1.25 / 0.5 = 5.21 -> 6; minimum ceil(2.08) = 3
    expect(plan.kinesis.bytesPerSecond).toBeCloseTo(1_250_000, 0);
    expect(plan.kinesis.minimumShards).toBe(3);
    expect(plan.kinesis.shards).toBe(6);
  });

  test('DynamoDB 2,083 WCU/s is under the 4,000 a new on-demand table takes; Redis 4,167 ops/s', () => {
    expect(plan.dynamodb.writeUnitsPerSecond).toBeCloseTo(2083.33, 1);
    expect(plan.dynamodb.preWarm).toBe(false); // 2,083 x 1.25 = 2,604 < 4,000
    expect(plan.redis.opsPerSecond).toBeCloseTo(4166.67, 1);
    expect(plan.redis.connections).toBe(407);
    expect(dependency(plan, 'ElastiCache').verdict).toBe('within');
  });

  test('Lex, Comprehend and Polly exceed their default quotas; Comprehend sentiment has a design way out', () => {
    // Lex: 2,083.33 calls/s x 0.25 s = 520.8 concurrent vs 50
    expect(plan.lex.concurrency).toBeCloseTo(520.83, 1);
    expect(dependency(plan, 'Lex').verdict).toBe('increase');
    // Comprehend DetectSentiment once per turn: 2,083 vs 20/s -> Lex's own sentiment removes it
    const sentiment = dependency(plan, 'Comprehend DetectSentiment');
    expect(sentiment.demand).toBeCloseTo(2083.33, 1);
    expect(sentiment.verdict).toBe('design');
    expect(sentiment.note).toMatch(/sentimentAnalysisSettings/);
    // language detection on 15% of turns: 312.5/s vs 20
    expect(dependency(plan, 'Comprehend DetectDominantLanguage').demand).toBeCloseTo(312.5, 6);
    // Polly neural on 10% of turns: 208.3/s vs 8 -> request 208.3 x 1.25 = 260.4 -> 270
    const polly = dependency(plan, 'Polly');
    expect(polly.verdict).toBe('increase');
    expect(polly.requestQuota).toBe(270);
    // Translate publishes no rate quota
    expect(dependency(plan, 'Translate').verdict).toBe('no-quota');
  });

  test('the table flags every increase and design choice', () => {
    const table = formatCapacityTable(plan);
    expect(table).toMatch(/peak 2,083\.3 turns\/s/);
    expect(table.match(/INCREASE/g)?.length).toBe(
      plan.dependencies.filter((d) => d.verdict === 'increase').length,
    );
    expect(table).toMatch(/Comprehend DetectSentiment .*DESIGN/);
  });
});

describe('hand-sized small cases', () => {
  const small: CapacityInputs = {
    ...DEFAULT_CAPACITY_INPUTS,
    conversationsPerDay: 864_000,
    turnsPerConversation: 10,
    peakFactor: 1,
    headroom: 1,
    kinesisShardUtilisation: 1,
    perTurn: {
      ...DEFAULT_PER_TURN_COST,
      fulfillmentLambdaMs: 100,
      codeHookInvocationsPerTurn: 1,
      channelLambdaMs: 200,
      comprehendSentimentCallsPerTurn: 0,
      kinesisRecordBytes: 20_000,
      dynamoItemBytes: 1500,
    },
  };

  test('864,000 x 10 / 86,400 = exactly 100 turns/s; 10 + 20 concurrent', () => {
    const plan = planCapacity(small);
    expect(plan.peakTurnsPerSecond).toBe(100);
    expect(plan.lambda.fulfillmentReservedConcurrency).toBe(10);
    expect(plan.lambda.accountConcurrency).toBe(30);
    expect(dependency(plan, 'Lambda').verdict).toBe('within');
  });

  test('large records make Kinesis byte-bound: 100 x 20,000 B = 1.91 MiB/s -> 2 shards', () => {
    expect(planCapacity(small).kinesis.shards).toBe(2);
    expect(kinesisShards(100, 100, { utilisation: 1, headroom: 1, quotas: small.quotas })).toBe(1);
  });

  test('an item over 1 KB costs 2 write units; no sentiment calls keeps Comprehend within quota', () => {
    const plan = planCapacity(small);
    expect(plan.dynamodb.writeUnitsPerSecond).toBe(200);
    expect(dependency(plan, 'Comprehend DetectSentiment').verdict).toBe('within');
  });

  test('peak factor scales linearly', () => {
    expect(
      peakTurnsPerSecond({ conversationsPerDay: 86_400, turnsPerConversation: 1, peakFactor: 2.5 }),
    ).toBe(2.5);
  });

  test('nonsense inputs are refused naming the field', () => {
    expect(() => planCapacity({ ...small, conversationsPerDay: 0 })).toThrow(
      /conversationsPerDay must be a positive/,
    );
    expect(() => planCapacity({ ...small, peakFactor: 0.5 })).toThrow(/peakFactor must be at least 1/);
    expect(() => planCapacity({ ...small, perTurn: { ...small.perTurn, redisOpsPerTurn: -1 } })).toThrow(
      /perTurn\.redisOpsPerTurn must be zero or more/,
    );
  });

  test('quota requests round up to two significant figures', () => {
    expect(roundUpQuota(1486.25)).toBe(1500);
    expect(roundUpQuota(2604)).toBe(2700);
    expect(roundUpQuota(7.2)).toBe(8);
    expect(roundUpQuota(0)).toBe(0);
  });
});

describe('the capacity verdict a load-test report gives', () => {
  test('100 turns/s held against a 100 turns/s target carries 480,000 conversations/day', () => {
    const v = capacityVerdict({
      turnsPerSecond: 100,
      targetTurnsPerSecond: 100,
      meanTurnMs: 150,
      p99TurnMs: 400,
      errorRate: 0,
      workers: 1,
    });
    // 100 turns/s / 3 peak / 6 turns x 86,400 = 480,000; 2,083.33 / 100 = 20.8x
    expect(v.targetHeld).toBe(true);
    expect(v.extrapolatedConversationsPerDay).toBeCloseTo(480_000, 6);
    expect(v.scaleOutFactor).toBeCloseTo(20.833, 2);
    expect(v.meetsModelPeak).toBe(false);
    expect(v.measuredVsModelTurnMs.ratio).toBeCloseTo(0.5, 6);
    expect(v.summary).toMatch(/^Target held/);
  });

  test('80% of the target, or too many errors, does not hold it', () => {
    const base = { targetTurnsPerSecond: 100, meanTurnMs: 100, p99TurnMs: 200, workers: 1 };
    expect(capacityVerdict({ ...base, turnsPerSecond: 80, errorRate: 0 }).targetHeld).toBe(false);
    expect(capacityVerdict({ ...base, turnsPerSecond: 100, errorRate: 0.05 }).targetHeld).toBe(false);
    expect(capacityVerdict({ ...base, turnsPerSecond: 2100, errorRate: 0 }).meetsModelPeak).toBe(true);
  });
});

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
});

describe('npm run capacity arguments', () => {
  test('what-if inputs override the requirement', () => {
    const { inputs, json } = parseCapacityArgs([
      '--conversations-per-day',
      '864000',
      '--fulfillment-ms',
      '50',
      '--json',
    ]);
    expect(json).toBe(true);
    expect(inputs.conversationsPerDay).toBe(864_000);
    expect(inputs.perTurn.fulfillmentLambdaMs).toBe(50);
    expect(inputs.turnsPerConversation).toBe(6);
  });

  test('unknown options and missing numbers are refused', () => {
    expect(() => parseCapacityArgs(['--bogus', '1'])).toThrow(/unknown option --bogus/);
    expect(() => parseCapacityArgs(['--turns'])).toThrow(/--turns needs a number/);
    expect(() => parseCapacityArgs(['--turns', 'many'])).toThrow(/--turns needs a number/);
  });
});

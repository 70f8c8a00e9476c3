/**
 * Each dependency's demand against its default quota (lib/config/capacity/quotas.ts): the
 * verdicts and quota requests for the requirement and for a small load, worked out by hand.
 */
import {
  DEFAULT_CAPACITY_INPUTS,
  DEFAULT_PER_TURN_COST,
  planCapacity,
  type CapacityPlan,
} from '../../../../lib/config/capacity/model';
import { roundUpQuota } from '../../../../lib/config/capacity/quotas';

const dependency = (plan: CapacityPlan, prefix: string) => {
  const d = plan.dependencies.find((x) => x.dependency.startsWith(prefix));
  if (!d) throw new Error(`no dependency ${prefix}`);
  return d;
};

describe('GIVEN the requirement: 10M conversations/day x 6 turns, 3x peak', () => {
  // GIVEN the defaults
  const plan = planCapacity(DEFAULT_CAPACITY_INPUTS);

  test('WHEN planned THEN Lambda: the account needs 1,189 > 1,000, so an increase to 1,500', () => {
    const lambda = dependency(plan, 'Lambda');
    expect(lambda.demand).toBe(1189);
    expect(lambda.verdict).toBe('increase');
    // 1,189 x 1.25 = 1,486.25 -> 2 significant figures up -> 1,500
    expect(lambda.requestQuota).toBe(1500);
    expect(lambda.note).toMatch(/fulfillment reserves 407/);
  });

  test('WHEN planned THEN Lex, Comprehend and Polly exceed their default quotas; Comprehend sentiment has a design way out', () => {
    // Lex: 520.8 concurrent vs 50
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
  });

  test("WHEN planned THEN API Gateway: 2,083 requests/s at peak, within the account's 10,000/s; the note names the 5,000 burst cap", () => {
    const api = dependency(plan, 'API Gateway');
    expect(api).toEqual(expect.objectContaining({ unit: 'requests/s', quota: 10_000, verdict: 'within' }));
    expect(api.requestQuota).toBeUndefined();
    expect(api.demand).toBeCloseTo(2083.33, 1);
    expect(api.note).toMatch(/burst bucket \(5000 requests\) caps the channel API stage's burst/);
    // at 5x the requirement (10,417 requests/s) the account rate must be raised
    const big = dependency(planCapacity({ ...DEFAULT_CAPACITY_INPUTS, peakFactor: 15 }), 'API Gateway');
    expect(big.verdict).toBe('increase');
    expect(big.requestQuota).toBe(14_000); // 10,416.7 x 1.25 = 13,020.8 -> 14,000
  });

  test('WHEN planned THEN Translate publishes no rate quota: no quota, no request', () => {
    const translate = dependency(plan, 'Translate');
    expect(translate.verdict).toBe('no-quota');
    expect(translate.quota).toBeUndefined();
    expect(translate.requestQuota).toBeUndefined();
  });

  test('WHEN planned THEN Kinesis, DynamoDB and Redis stay within their defaults', () => {
    expect(dependency(plan, 'Kinesis').verdict).toBe('within');
    expect(dependency(plan, 'Kinesis').note).toMatch(/^3 shards at 100%.*provisioned 6 \(at 50% utilisation/);
    expect(dependency(plan, 'DynamoDB').note).toMatch(/no pre-warming needed/);
    expect(dependency(plan, 'ElastiCache').verdict).toBe('within');
  });
});

describe('GIVEN hand-sized small cases', () => {
  // GIVEN 100 turns/s, 10 + 20 concurrent, no sentiment calls
  const plan = planCapacity({
    ...DEFAULT_CAPACITY_INPUTS,
    conversationsPerDay: 864_000,
    turnsPerConversation: 10,
    peakFactor: 1,
    headroom: 1,
    perTurn: {
      ...DEFAULT_PER_TURN_COST,
      fulfillmentLambdaMs: 100,
      codeHookInvocationsPerTurn: 1,
      channelLambdaMs: 200,
      comprehendSentimentCallsPerTurn: 0,
    },
  });

  test('WHEN planned THEN 30 concurrent executions are within the Lambda quota', () => {
    expect(dependency(plan, 'Lambda').verdict).toBe('within');
    expect(dependency(plan, 'Lambda').requestQuota).toBeUndefined();
  });

  test('WHEN planned THEN no sentiment calls keeps Comprehend within quota', () => {
    expect(dependency(plan, 'Comprehend DetectSentiment').verdict).toBe('within');
  });
});

describe('quota requests', () => {
  test('GIVEN a demand WHEN a quota request is rounded THEN it rounds up to two significant figures', () => {
    expect(roundUpQuota(1486.25)).toBe(1500);
    expect(roundUpQuota(2604)).toBe(2700);
    expect(roundUpQuota(7.2)).toBe(8);
    expect(roundUpQuota(0)).toBe(0);
  });
});

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

  test('WHEN planned THEN Lambda: the Regional concurrency needs 2,244 > 1,000 (the ticket worker included), so an increase to 2,900', () => {
    const lambda = dependency(plan, 'Lambda');
    // channel 1,308 + fulfillment 928 + the ticket worker's maximum 8
    expect(lambda.demand).toBe(2244);
    expect(lambda.verdict).toBe('increase');
    // 2,244 x 1.25 = 2,805 -> 2 significant figures up -> 2,900
    expect(lambda.requestQuota).toBe(2900);
    expect(lambda.note).toMatch(/the ticket worker at most 8/);
    expect(lambda.note).toMatch(/fulfillment reserves 928/);
  });

  test('WHEN planned THEN Bedrock: Retrieve, model tokens and every guardrail policy need an increase, each worked out', () => {
    // Retrieve 208.33/s vs 20 -> 208.33 x 1.25 = 260.4 -> 270
    const retrieve = dependency(plan, 'Bedrock Retrieve');
    expect(retrieve).toMatchObject({ unit: 'calls/s', quota: 20, verdict: 'increase', requestQuota: 270 });
    expect(retrieve.note).toMatch(/10% of turns \(config knowledge.shareOfTurns\)/);
    // 33M tokens/min vs 4M -> 41.25M -> 42M
    expect(dependency(plan, 'Bedrock model tokens')).toMatchObject({
      unit: 'tokens/min',
      quota: 4_000_000,
      verdict: 'increase',
      requestQuota: 42_000_000,
    });
    // policies 708.3 text units/s -> 885.4 -> 890, against 50 (topics) and 200 (the others)
    for (const [policy, quota] of [
      ['denied topics', 50],
      ['content filters', 200],
      ['sensitive information', 200],
      ['word filters', 200],
    ] as const) {
      expect(dependency(plan, `Bedrock Guardrails ${policy}`)).toMatchObject({
        quota,
        verdict: 'increase',
        requestQuota: 890,
      });
    }
    // grounding 1,833.3 vs 106 -> 2,291.7 -> 2,300
    expect(dependency(plan, 'Bedrock Guardrails contextual grounding')).toMatchObject({
      quota: 106,
      requestQuota: 2300,
    });
  });

  test('WHEN 0.5% of turns reach the knowledge base THEN Retrieve (10.4/s) and the model tokens are within their defaults', () => {
    const low = planCapacity({
      ...DEFAULT_CAPACITY_INPUTS,
      knowledge: { ...DEFAULT_CAPACITY_INPUTS.knowledge, shareOfTurns: 0.005 },
    });
    expect(dependency(low, 'Bedrock Retrieve')).toMatchObject({ verdict: 'within' });
    expect(dependency(low, 'Bedrock Retrieve').requestQuota).toBeUndefined();
    // 8.33 Converse/s x 3,300 x 60 = 1.65M tokens/min < 4M
    expect(dependency(low, 'Bedrock model tokens').verdict).toBe('within');
  });

  test('WHEN planned THEN Lex, Comprehend and Polly exceed their default quotas; Comprehend sentiment has a design way out', () => {
    // Lex: 937.5 concurrent vs 50
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

  test("WHEN planned THEN API Gateway: 2,153 requests/s at peak (turns and feedback), within the account's 10,000/s; the note names the 5,000 burst cap", () => {
    const api = dependency(plan, 'API Gateway');
    expect(api).toEqual(expect.objectContaining({ unit: 'requests/s', quota: 10_000, verdict: 'within' }));
    expect(api.requestQuota).toBeUndefined();
    // 2,083.33 turns/s + 69.44 feedback requests/s
    expect(api.demand).toBeCloseTo(2152.78, 1);
    expect(api.note).toMatch(/burst bucket \(5000 requests\) caps the channel API stage's burst/);
    // at 5x the requirement (10,763.9 requests/s) the account rate must be raised
    const big = dependency(planCapacity({ ...DEFAULT_CAPACITY_INPUTS, peakFactor: 15 }), 'API Gateway');
    expect(big.verdict).toBe('increase');
    expect(big.requestQuota).toBe(14_000); // 10,763.9 x 1.25 = 13,454.9 -> 14,000
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
    knowledge: { ...DEFAULT_CAPACITY_INPUTS.knowledge, shareOfTurns: 0 },
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

/**
 * The capacity model's arithmetic (lib/config/capacity/model.ts), checked against numbers worked
 * out by hand (in the comments).
 */
import { PROD, STAGING } from '../../../../lib/config/environments';
import {
  DEFAULT_CAPACITY_INPUTS,
  DEFAULT_FEEDBACK_LOAD,
  DEFAULT_KNOWLEDGE_TURN_COST,
  DEFAULT_PER_TURN_COST,
  kinesisShards,
  peakTurnsPerSecond,
  planCapacity,
  type CapacityInputs,
} from '../../../../lib/config/capacity/model';

describe('GIVEN the requirement: 10M conversations/day x 6 turns, 3x peak', () => {
  // GIVEN the defaults
  const plan = planCapacity(DEFAULT_CAPACITY_INPUTS);

  test('WHEN planned THEN 60M turns/day is 694.4 turns/s on average and 2,083.3 at peak', () => {
    // 10,000,000 x 6 = 60,000,000; / 86,400 = 694.44; x 3 = 2,083.33; / 6 = 347.2 conversations/s
    expect(plan.turnsPerDay).toBe(60_000_000);
    expect(plan.averageTurnsPerSecond).toBeCloseTo(694.444, 2);
    expect(plan.peakTurnsPerSecond).toBeCloseTo(2083.333, 2);
    expect(plan.peakConversationsPerSecond).toBeCloseTo(347.222, 2);
  });

  test('WHEN planned THEN Lambda: fulfillment reserves 928 and the account needs 2,236 (knowledge answers hold both functions, feedback the channel)', () => {
    // a knowledge answer adds 10% x 2.0 s = 0.2 s to the average turn, in both functions
    // fulfillment 2,083.33 x (1.3 hooks x 0.120 s + 0.2 s) = 2,083.33 x 0.356 = 741.67; x 1.25 = 927.08 -> 928
    // channel     2,083.33 x (0.300 s + 0.2 s)             = 1,041.67
    //   + feedback 347.22 conversations/s x 0.2 = 69.44/s x 0.060 s = 4.17 -> 1,045.83; x 1.25 = 1,307.3 -> 1,308
    // 928 + 1,308 = 2,236
    expect(plan.lambda.fulfillmentConcurrency).toBeCloseTo(741.667, 2);
    expect(plan.lambda.channelConcurrency).toBeCloseTo(1045.833, 2);
    expect(plan.lambda.fulfillmentReservedConcurrency).toBe(928);
    expect(plan.lambda.accountConcurrency).toBe(2236);
  });

  test('WHEN planned THEN Bedrock: 208.3 Retrieve/s, 166.7 Converse/s reserving 33M tokens/min, guardrail text units', () => {
    // knowledge turns 2,083.33 x 10% = 208.33/s; 80% reach the model = 166.67/s
    // tokens: 166.67 x (3,000 + 300) x 60 = 33,000,000/min
    // policies: 208.33 x 1 (question on Retrieve) + 166.67 x (1 question + 2 answer) = 708.33/s
    // grounding: 166.67 x (8 passages + 1 question + 2 answer) = 1,833.33/s
    expect(plan.knowledge.turnsPerSecond).toBeCloseTo(208.333, 2);
    expect(plan.knowledge.modelCallsPerSecond).toBeCloseTo(166.667, 2);
    expect(plan.knowledge.tokensPerMinute).toBeCloseTo(33_000_000, -1);
    expect(plan.knowledge.policyTextUnitsPerSecond).toBeCloseTo(708.333, 2);
    expect(plan.knowledge.groundingTextUnitsPerSecond).toBeCloseTo(1833.333, 2);
  });

  test("WHEN planned THEN the model's share of knowledge turns is the stages' config figure", () => {
    expect(DEFAULT_KNOWLEDGE_TURN_COST.shareOfTurns).toBe(PROD.knowledge.shareOfTurns);
    expect(DEFAULT_KNOWLEDGE_TURN_COST.shareOfTurns).toBe(STAGING.knowledge.shareOfTurns);
  });

  test('WHEN planned THEN Kinesis: 2,083 turn records/s of 600 B and 69.4 feedback records/s of 250 B need 3 shards flat out, 6 at 50% with 1.25x headroom', () => {
    // records: 2,083.33 + 69.44 = 2,152.78 / 1,000 = 2.15 shards
    // bytes: 1,250,000 + 17,361.1 = 1,267,361.1 / 1,048,576 = 1.21 shards
    // 2.15 x 1.25 / 0.5 = 5.38 -> 6; minimum ceil(2.15) = 3
    expect(plan.kinesis.recordsPerSecond).toBeCloseTo(2152.778, 2);
    expect(plan.kinesis.bytesPerSecond).toBeCloseTo(1_267_361.1, 0);
    expect(plan.kinesis.minimumShards).toBe(3);
    expect(plan.kinesis.shards).toBe(6);
  });

  test('WHEN planned THEN DynamoDB 2,153 WCU/s (turns and feedback) is under the 4,000 a new on-demand table takes; Redis 6,319 ops/s', () => {
    // 2,083.33 turn puts + 69.44 feedback UpdateItems of an 800 + 150 B item (1 unit each)
    expect(plan.dynamodb.writeUnitsPerSecond).toBeCloseTo(2152.78, 1);
    expect(plan.dynamodb.preWarm).toBe(false); // 2,152.8 x 1.25 = 2,691 < 4,000
    // sessions: 2,083.33 turns x 2 commands; the gate: 2,152.78 channel requests (turns + feedback) x 1 script
    expect(plan.redis.opsPerSecond).toBeCloseTo(4166.67 + 2152.78, 1);
    // one connection per warm environment: 928 fulfillment (reserved) + 1,308 channel (with headroom)
    expect(plan.redis.connections).toBe(928 + 1308);
  });

  test('WHEN feedback grows THEN the gate script it runs is counted in Redis commands/s', () => {
    const more = planCapacity({
      ...DEFAULT_CAPACITY_INPUTS,
      feedback: { ...DEFAULT_CAPACITY_INPUTS.feedback, perConversation: 1 },
    });
    // 347.22 new conversations/s x (1 - 0.2) more feedback each, one gate script apiece
    expect(more.redis.opsPerSecond - plan.redis.opsPerSecond).toBeCloseTo(347.222 * 0.8, 2);
  });

  test('WHEN planned THEN Lex: 2,083.33 calls/s x (0.25 s + 0.2 s of knowledge answers) = 937.5 concurrent requests', () => {
    expect(plan.lex.concurrency).toBeCloseTo(937.5, 1);
  });

  test('WHEN planned THEN the plan lists every dependency once, in the order the tables show them', () => {
    expect(plan.dependencies.map((d) => d.dependency)).toEqual([
      'Lambda (channel + fulfillment + ticket worker)',
      'Lex V2 RecognizeText',
      'API Gateway (account throttle)',
      'Comprehend DetectSentiment',
      'Comprehend DetectDominantLanguage',
      'Translate TranslateText',
      'Polly SynthesizeSpeech (neural)',
      'Bedrock Retrieve (Knowledge Bases)',
      'Bedrock model tokens (Converse)',
      'Bedrock Guardrails denied topics',
      'Bedrock Guardrails content filters',
      'Bedrock Guardrails sensitive information',
      'Bedrock Guardrails word filters',
      'Bedrock Guardrails contextual grounding',
      'Kinesis Data Streams',
      'DynamoDB (on-demand)',
      'ElastiCache Redis',
      'SQS ticket queue (standard)',
      'Lambda (ticket worker)',
      'EventBridge PutEvents',
      'Order system (orders.source)',
    ]);
  });
});

describe('GIVEN hand-sized small cases', () => {
  // GIVEN a load small enough to size by hand
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
    knowledge: { ...DEFAULT_KNOWLEDGE_TURN_COST, shareOfTurns: 0 },
    feedback: { ...DEFAULT_FEEDBACK_LOAD, perConversation: 0 },
  };

  test('WHEN planned THEN 864,000 x 10 / 86,400 = exactly 100 turns/s; 10 + 20 concurrent', () => {
    const plan = planCapacity(small);
    expect(plan.peakTurnsPerSecond).toBe(100);
    expect(plan.lambda.fulfillmentReservedConcurrency).toBe(10);
    expect(plan.lambda.accountConcurrency).toBe(30);
  });

  test('WHEN planned THEN large records make Kinesis byte-bound: 100 x 20,000 B = 1.91 MiB/s -> 2 shards', () => {
    expect(planCapacity(small).kinesis.shards).toBe(2);
    expect(kinesisShards(100, 100, { utilisation: 1, headroom: 1, quotas: small.quotas })).toBe(1);
  });

  test('WHEN planned THEN an item over 1 KB costs 2 write units', () => {
    expect(planCapacity(small).dynamodb.writeUnitsPerSecond).toBe(200);
  });

  test('WHEN the peak is computed THEN it scales linearly with the peak factor', () => {
    expect(
      peakTurnsPerSecond({ conversationsPerDay: 86_400, turnsPerConversation: 1, peakFactor: 2.5 }),
    ).toBe(2.5);
  });

  test('WHEN a fifth of the turns are knowledge turns of 1 s THEN each function holds 0.2 s more per turn: 30 + 20 concurrent', () => {
    // 100 turns/s x 20% x 1 s = 20 more in each function: fulfillment 10 + 20, channel 20 + 20
    const plan = planCapacity({
      ...small,
      knowledge: { ...DEFAULT_KNOWLEDGE_TURN_COST, shareOfTurns: 0.2, answerMs: 1000, modelShare: 0.5 },
    });
    expect(plan.lambda.fulfillmentReservedConcurrency).toBe(30);
    expect(plan.lambda.accountConcurrency).toBe(70);
    // 20 Retrieve/s; 10 Converse/s x 3,300 tokens x 60 = 1,980,000 tokens/min
    expect(plan.knowledge.turnsPerSecond).toBeCloseTo(20, 6);
    expect(plan.knowledge.tokensPerMinute).toBeCloseTo(1_980_000, 0);
  });

  test('WHEN planned THEN nonsense inputs are refused naming the field', () => {
    expect(() => planCapacity({ ...small, conversationsPerDay: 0 })).toThrow(
      /conversationsPerDay must be a positive/,
    );
    expect(() => planCapacity({ ...small, peakFactor: 0.5 })).toThrow(/peakFactor must be at least 1/);
    expect(() => planCapacity({ ...small, perTurn: { ...small.perTurn, redisOpsPerTurn: -1 } })).toThrow(
      /perTurn\.redisOpsPerTurn must be zero or more/,
    );
    expect(() => planCapacity({ ...small, knowledge: { ...small.knowledge, shareOfTurns: 1.5 } })).toThrow(
      /knowledge\.shareOfTurns must be in \[0, 1\]/,
    );
    expect(() => planCapacity({ ...small, knowledge: { ...small.knowledge, answerMs: -1 } })).toThrow(
      /knowledge\.answerMs must be zero or more/,
    );
    expect(() => planCapacity({ ...small, feedback: { ...small.feedback, eventBytes: -1 } })).toThrow(
      /feedback\.eventBytes must be zero or more/,
    );
    expect(() => planCapacity({ ...small, feedback: { ...small.feedback, perConversation: 11 } })).toThrow(
      'feedback.perConversation must be at most turnsPerConversation (one per answer)',
    );
  });
});

describe('GIVEN the ticket and order paths in the model', () => {
  test('WHEN planned at the requirement THEN 2% of the peak turns are ticket requests, each one SendMessage, one receive and one delete (no batching) plus idle polls, one PutEvents, and the worker sized by Little’s law with headroom', () => {
    const plan = planCapacity();
    const peak = plan.peakTurnsPerSecond;
    expect(plan.tickets.requestsPerSecond).toBeCloseTo(peak * 0.02, 6);
    expect(plan.tickets.sqsRequestsPerSecond).toBeCloseTo(peak * 0.02 * 3 + 5 / 20, 6);
    expect(plan.tickets.putEventsPerSecond).toBeCloseTo(peak * 0.02, 6);
    expect(plan.tickets.workerConcurrency).toBeCloseTo((peak * 0.02 * 150) / 1000, 6);
    expect(plan.tickets.workerMaxConcurrency).toBe(Math.ceil(plan.tickets.workerConcurrency * 1.25));
    expect(plan.tickets.workerInvocationsPerSecond).toBeCloseTo(peak * 0.02, 6);
    // the worker shares the Regional concurrency: 2,236 + 8 (41.67/s x 0.15 s = 6.25 x 1.25 -> 8)
    expect(plan.tickets.workerMaxConcurrency).toBe(8);
    expect(plan.lambda.regionalConcurrency).toBe(plan.lambda.accountConcurrency + 8);
    expect(plan.dependencies[0]).toMatchObject({ demand: 2244 });
    expect(plan.orders.lookupsPerSecond).toBeCloseTo(peak * 0.05, 6);
    const putEvents = plan.dependencies.find((d) => d.dependency === 'EventBridge PutEvents')!;
    expect([putEvents.verdict, putEvents.quota]).toEqual(['within', 10_000]);
  });

  test('WHEN the worker batches 10 messages an invocation THEN it needs a tenth of the concurrency, never under 2 (SQS maximum concurrency)', () => {
    const base = planCapacity();
    const batched = planCapacity({
      ...DEFAULT_CAPACITY_INPUTS,
      tickets: { ...DEFAULT_CAPACITY_INPUTS.tickets, messagesPerInvocation: 10 },
    });
    expect(batched.tickets.workerConcurrency).toBeCloseTo(base.tickets.workerConcurrency / 10, 6);
    expect(batched.tickets.workerMaxConcurrency).toBe(2);
  });

  test('WHEN a share is outside [0, 1] THEN the inputs are refused naming it', () => {
    expect(() =>
      planCapacity({
        ...DEFAULT_CAPACITY_INPUTS,
        tickets: { ...DEFAULT_CAPACITY_INPUTS.tickets, ticketTurnShare: 1.5 },
      }),
    ).toThrow('tickets.ticketTurnShare must be in [0, 1]');
  });
});

describe('GIVEN customer feedback in the model', () => {
  // GIVEN 100 turns/s of 10-turn conversations (10 new conversations/s), nothing else scaled
  const base: CapacityInputs = {
    ...DEFAULT_CAPACITY_INPUTS,
    conversationsPerDay: 864_000,
    turnsPerConversation: 10,
    peakFactor: 1,
    headroom: 1,
    kinesisShardUtilisation: 1,
    perTurn: { ...DEFAULT_PER_TURN_COST, channelLambdaMs: 200, dynamoItemBytes: 800 },
    knowledge: { ...DEFAULT_KNOWLEDGE_TURN_COST, shareOfTurns: 0 },
    feedback: { perConversation: 0, channelLambdaMs: 100, attributeBytes: 100, eventBytes: 500 },
  };
  const withFeedback = (f: Partial<CapacityInputs['feedback']>): CapacityInputs => ({
    ...base,
    feedback: { ...base.feedback, ...f },
  });

  test('WHEN 3 in 10 conversations leave feedback THEN 3 requests/s add 3 WCU/s, 3 stream records/s, 0.3 channel concurrency and 3 channel API requests/s', () => {
    const none = planCapacity(base);
    const some = planCapacity(withFeedback({ perConversation: 0.3 }));
    // 10 conversations/s x 0.3 = 3 feedback requests/s
    expect(some.feedback.requestsPerSecond).toBeCloseTo(3, 9);
    // one UpdateItem each on an 800 + 100 B item: 1 write unit
    expect(some.feedback.writeUnitsPerSecond).toBeCloseTo(3, 9);
    expect(some.dynamodb.writeUnitsPerSecond - none.dynamodb.writeUnitsPerSecond).toBeCloseTo(3, 9);
    // one event each of 500 B on the conversation stream
    expect(some.kinesis.recordsPerSecond - none.kinesis.recordsPerSecond).toBeCloseTo(3, 9);
    expect(some.kinesis.bytesPerSecond - none.kinesis.bytesPerSecond).toBeCloseTo(1500, 6);
    // the channel function: 3/s x 0.1 s = 0.3 concurrent
    expect(some.feedback.channelConcurrency).toBeCloseTo(0.3, 9);
    expect(some.lambda.channelConcurrency - none.lambda.channelConcurrency).toBeCloseTo(0.3, 9);
    expect(some.peakChannelRequestsPerSecond - none.peakChannelRequestsPerSecond).toBeCloseTo(3, 9);
    // the API Gateway row counts them
    const api = (p: typeof some) => p.dependencies.find((d) => d.dependency.startsWith('API Gateway'))!;
    expect(api(some).demand - api(none).demand).toBeCloseTo(3, 9);
  });

  test('WHEN the feedback attribute takes the turn item over 1 KB THEN each UpdateItem costs 2 write units', () => {
    // 800 + 300 B = 1,100 B > 1,024: 2 units; 5 requests/s -> 10 WCU/s
    const plan = planCapacity(withFeedback({ perConversation: 0.5, attributeBytes: 300 }));
    expect(plan.feedback.writeUnitsPerSecond).toBeCloseTo(10, 9);
    expect(plan.dynamodb.writeUnitsPerSecond).toBeCloseTo(100 + 10, 9);
  });

  test('WHEN every answer is rated THEN the feedback events alone take the stream from 1 shard to 2 at full utilisation', () => {
    // 1,000 turns/s with 1 rating per turn: 1,000 + 1,000 records/s -> 2 shards (records-bound:
    // 1,000 x 600 B + 1,000 x 100 B = 700,000 B/s, under one shard's 1 MiB/s)
    const busy: CapacityInputs = {
      ...base,
      conversationsPerDay: 8_640_000,
      feedback: { ...base.feedback, eventBytes: 100 },
    };
    expect(planCapacity(busy).kinesis.shards).toBe(1);
    expect(
      planCapacity({ ...busy, feedback: { ...busy.feedback, perConversation: 10 } }).kinesis.shards,
    ).toBe(2);
  });

  test('WHEN planned at the requirement THEN the defaults give 69.4 feedback requests/s and the Kinesis and DynamoDB rows name them', () => {
    const plan = planCapacity();
    // 347.22 new conversations/s x 0.2
    expect(plan.feedback.requestsPerSecond).toBeCloseTo(plan.peakConversationsPerSecond * 0.2, 9);
    expect(plan.feedback.requestsPerSecond).toBeCloseTo(69.444, 2);
    const row = (prefix: string) => plan.dependencies.find((d) => d.dependency.startsWith(prefix))!;
    expect(row('Kinesis').note).toMatch(/of them 69\.4 feedback events/);
    expect(row('DynamoDB').note).toMatch(/of them 69\.4 feedback UpdateItem units\/s/);
    expect(row('Lambda (channel').note).toMatch(/feedback \(69\.4 requests\/s\) holds 4\.2 of the channel's/);
  });
});

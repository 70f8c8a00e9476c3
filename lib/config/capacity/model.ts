/**
 * The capacity model (docs/architecture.md, "Budgets"; `npm run capacity`): its inputs (the traffic we must carry, the measured
 * cost of one turn, the default quotas), their defaults for the product requirement, and
 * `planCapacity`, the pure arithmetic from them to the sizing of every dependency. Comparing
 * each dependency with its quota is quotas.ts; the plan the stacks size from is plan.ts.
 *
 * Every number has a unit in its name or doc. Nothing here reads the clock, the network or
 * the environment.
 */
import { dependencyDemands, type DependencyDemand } from './quotas';

/** What one channel turn costs, measured (load-test report, bench, X-Ray) or estimated. */
export interface PerTurnCost {
  /** Channel Lambda duration per turn, ms: it waits for Lex RecognizeText (incl. the code hook). */
  readonly channelLambdaMs: number;
  /** Fulfillment Lambda duration per code-hook invocation, ms. */
  readonly fulfillmentLambdaMs: number;
  /** Code-hook invocations per turn (dialog hook on slot-elicitation turns + fulfillment). */
  readonly codeHookInvocationsPerTurn: number;
  /** Lex RecognizeText calls per turn (1: one per channel request). */
  readonly lexCallsPerTurn: number;
  /** Lex RecognizeText latency seen by the channel Lambda, ms (for Lex concurrency). */
  readonly lexLatencyMs: number;
  /** Comprehend DetectSentiment calls per turn (1 when Lex's own sentiment is off). */
  readonly comprehendSentimentCallsPerTurn: number;
  /** Comprehend DetectDominantLanguage calls per turn (only fallback / low-confidence turns). */
  readonly comprehendLanguageCallsPerTurn: number;
  /** Translate TranslateText calls per turn (turns in another language: 1 in + 1 per message out). */
  readonly translateCallsPerTurn: number;
  /** Polly SynthesizeSpeech calls per turn (the share of voice turns, after any cache). */
  readonly pollyCallsPerTurn: number;
  /** DynamoDB item writes per turn (context put). */
  readonly dynamoWritesPerTurn: number;
  /** Size of one written item, bytes (a write unit covers 1 KB). */
  readonly dynamoItemBytes: number;
  /** Redis commands per turn (session GET + SET EX). */
  readonly redisOpsPerTurn: number;
  /**
   * Redis commands per channel request (a turn or a feedback): the conversation gate's one
   * script (owner binding + the caller's token bucket, src/adapters/redis-conversation-gate.ts).
   */
  readonly gateRedisOpsPerRequest: number;
  /** Kinesis records per turn (one conversation event). */
  readonly kinesisRecordsPerTurn: number;
  /** Size of one conversation event, bytes. */
  readonly kinesisRecordBytes: number;
}

/**
 * Knowledge turns: questions no intent covers, answered from the documents (Bedrock Retrieve, then
 * Converse with the guardrail; docs/decisions/knowledge-base.md). Their share of all turns is the
 * config figure `knowledge.shareOfTurns` (lib/config/environments.ts).
 */
export interface KnowledgeTurnCost {
  /** Share of all turns that reach the knowledge base (0..1): config `knowledge.shareOfTurns`. */
  readonly shareOfTurns: number;
  /**
   * Share of knowledge turns that reach the model: retrieval found a passage above the score
   * threshold and the guardrail let the question through (the others make no Converse call).
   */
  readonly modelShare: number;
  /** What a knowledge answer adds to its turn (Retrieve + Converse), ms: both Lambdas and Lex wait for it. */
  readonly answerMs: number;
  /** Input tokens of one Converse call: system prompt, 4 passages of <= 512 tokens, the question. */
  readonly inputTokens: number;
  /** Converse `maxTokens`: the tokens-per-minute quota reserves input + maxTokens at the start of a call. */
  readonly maxOutputTokens: number;
  /** Guardrail text units (1 unit = up to 1,000 characters) of the question (<= 1,000 characters: 1). */
  readonly questionTextUnits: number;
  /** Text units of an answer (<= 300 tokens, ~1,200 characters: 2). */
  readonly answerTextUnits: number;
  /** Text units of the passages the grounding check reads (4 x 512 tokens, ~8,000 characters: 8). */
  readonly groundingSourceTextUnits: number;
}

/**
 * The ticket and order paths (docs/tickets.md, "Capacity"): which share of turns create a ticket
 * request or look an order up, and what the worker costs.
 */
export interface TicketAndOrderLoad {
  /** Share of turns that enqueue a ticket request (ReportIssue, TalkToAgent, a hand-off), 0..1. */
  readonly ticketTurnShare: number;
  /** Worker duration per invocation, ms (one batch: a GetItem/PutItem, a Query, a PutEvents per ticket). */
  readonly workerMsPerInvocation: number;
  /** Messages per worker invocation at peak (1 = the worst case: no batching). */
  readonly messagesPerInvocation: number;
  /** Share of turns that look an order up (CheckOrderStatus), 0..1. */
  readonly orderLookupTurnShare: number;
}

/**
 * Customer feedback on answers (the chat's thumbs: POST /v1/conversations/{id}/feedback on the
 * channel API, src/feedback/record.ts). Each feedback is a channel request of its own: the
 * conversation gate, one conditional UpdateItem on the rated turn's item (the conversation
 * table) and one `feedback` event on the conversation stream.
 */
export interface FeedbackLoad {
  /**
   * Feedback requests per conversation, 0..turnsPerConversation (at most one per answer):
   * 0.2 = one conversation in five rates an answer.
   */
  readonly perConversation: number;
  /** Channel Lambda duration of a feedback request, ms (gate, UpdateItem and PutRecords in sequence). */
  readonly channelLambdaMs: number;
  /**
   * Size of the stored `feedback` attribute, bytes (helpful, rating, the redacted comment, time).
   * An UpdateItem is charged on the larger of the item before and after it: the turn's item
   * (`perTurn.dynamoItemBytes`) plus this.
   */
  readonly attributeBytes: number;
  /** Size of one feedback event on the conversation stream, bytes (no comment text). */
  readonly eventBytes: number;
}

/** Default quotas of one account and Region; check each in Service Quotas (docs/deployment.md lists them). */
export interface DefaultQuotas {
  /** Lambda concurrent executions per Region. */
  readonly lambdaConcurrentExecutions: number;
  /** Lex V2 concurrent RecognizeText requests per alias (assumed: Lex V1's documented 50 per alias; confirm V2's in Service Quotas). */
  readonly lexConcurrentTextRequests: number;
  /** Comprehend DetectSentiment documents/s. */
  readonly comprehendDetectSentimentPerSecond: number;
  /** Comprehend DetectDominantLanguage documents/s. */
  readonly comprehendDetectLanguagePerSecond: number;
  /** Polly SynthesizeSpeech requests/s with neural voices (standard voices: 80). */
  readonly pollyNeuralPerSecond: number;
  /** Kinesis per shard: records/s and bytes/s written. */
  readonly kinesisRecordsPerShardPerSecond: number;
  readonly kinesisBytesPerShardPerSecond: number;
  /** Kinesis shards per account and Region (200; 500 in us-east-1, us-west-2, eu-west-1). */
  readonly kinesisShardsPerAccount: number;
  /** DynamoDB on-demand: writes/s a NEW table takes without pre-warming (warm throughput). */
  readonly dynamoNewTableWritesPerSecond: number;
  /** DynamoDB on-demand: maximum write units/s per table (account default). */
  readonly dynamoTableMaxWritesPerSecond: number;
  /** ElastiCache Redis maxclients per node. */
  readonly redisMaxClients: number;
  /** Commands/s one Redis node serves comfortably (r7g.large; single-threaded engine). */
  readonly redisOpsPerNodePerSecond: number;
  /** Bedrock "(Knowledge Bases) Retrieve requests per second" (secondary source; confirm in Service Quotas). */
  readonly bedrockRetrievePerSecond: number;
  /** Bedrock "Cross-region model inference tokens per minute for Amazon Nova Lite" (us-east-1). */
  readonly bedrockModelTokensPerMinute: number;
  /** Bedrock Guardrails "On-demand ApplyGuardrail <policy> text units per second" (us-east-1), per policy. */
  readonly guardrailTopicTextUnitsPerSecond: number;
  readonly guardrailContentTextUnitsPerSecond: number;
  readonly guardrailSensitiveTextUnitsPerSecond: number;
  readonly guardrailWordTextUnitsPerSecond: number;
  readonly guardrailGroundingTextUnitsPerSecond: number;
  /**
   * EventBridge PutEvents transactions/s per account and Region: 10,000 in us-east-1, us-west-2
   * and eu-west-1; 2,400 in us-east-2 and some others; lower in the rest: check Service Quotas.
   */
  readonly eventBridgePutEventsPerSecond: number;
}

export interface CapacityInputs {
  readonly conversationsPerDay: number;
  readonly turnsPerConversation: number;
  /** Peak rate / average rate. */
  readonly peakFactor: number;
  readonly perTurn: PerTurnCost;
  /** Knowledge turns: their share of all turns and their Bedrock cost. */
  readonly knowledge: KnowledgeTurnCost;
  /** Provisioning headroom over the computed peak (concurrency, shards). @default 1.25 */
  readonly headroom: number;
  /**
   * Fraction of a shard's limit we plan to use: partition keys (conversation ids) do not hash
   * perfectly evenly and retried PutRecords bursts come on top. @default 0.5
   */
  readonly kinesisShardUtilisation: number;
  readonly quotas: DefaultQuotas;
  /** The ticket and order paths. */
  readonly tickets: TicketAndOrderLoad;
  /** Customer feedback on answers. */
  readonly feedback: FeedbackLoad;
}

/**
 * Estimates until staging measures them (the FeedbackReceived metric over conversations): one
 * conversation in five leaves a thumb, the channel function takes 60 ms for it (three short
 * round trips, no Lex), the stored attribute averages 150 B (a short comment at most) and the
 * event 250 B.
 */
export const DEFAULT_FEEDBACK_LOAD: FeedbackLoad = {
  perConversation: 0.2,
  channelLambdaMs: 60,
  attributeBytes: 150,
  eventBytes: 250,
};

/**
 * Estimates until staging measures them: 2% of turns ask for a ticket (issue reports and
 * hand-offs), the worker takes 150 ms per message (no batching assumed), 5% of turns check an order.
 */
export const DEFAULT_TICKET_AND_ORDER_LOAD: TicketAndOrderLoad = {
  ticketTurnShare: 0.02,
  workerMsPerInvocation: 150,
  messagesPerInvocation: 1,
  orderLookupTurnShare: 0.05,
};

export const DEFAULT_QUOTAS: DefaultQuotas = {
  lambdaConcurrentExecutions: 1_000,
  lexConcurrentTextRequests: 50,
  comprehendDetectSentimentPerSecond: 20,
  comprehendDetectLanguagePerSecond: 20,
  pollyNeuralPerSecond: 8,
  kinesisRecordsPerShardPerSecond: 1_000,
  kinesisBytesPerShardPerSecond: 1_048_576,
  kinesisShardsPerAccount: 200,
  dynamoNewTableWritesPerSecond: 4_000,
  dynamoTableMaxWritesPerSecond: 40_000,
  redisMaxClients: 65_000,
  redisOpsPerNodePerSecond: 100_000,
  // Bedrock (docs/decisions/knowledge-base.md, "Quotas"): Retrieve 20/s from a secondary source;
  // the others from the General Reference's Bedrock quota table for us-east-1.
  bedrockRetrievePerSecond: 20,
  bedrockModelTokensPerMinute: 4_000_000,
  guardrailTopicTextUnitsPerSecond: 50,
  guardrailContentTextUnitsPerSecond: 200,
  guardrailSensitiveTextUnitsPerSecond: 200,
  guardrailWordTextUnitsPerSecond: 200,
  guardrailGroundingTextUnitsPerSecond: 106,
  eventBridgePutEventsPerSecond: 10_000,
};

/**
 * A knowledge turn as designed: 10% of turns (config `knowledge.shareOfTurns`), 80% of them
 * reaching the model, ~2 s for Retrieve + Converse (an estimate: replace with the staging p50 of
 * the KnowledgeLatency metric), 3,000 input tokens and maxTokens 300 (Nova Lite).
 */
export const DEFAULT_KNOWLEDGE_TURN_COST: KnowledgeTurnCost = {
  shareOfTurns: 0.1,
  modelShare: 0.8,
  answerMs: 2000,
  inputTokens: 3000,
  maxOutputTokens: 300,
  questionTextUnits: 1,
  answerTextUnits: 2,
  groundingSourceTextUnits: 8,
};

/**
 * The per-turn cost of the current design. Lambda durations are estimates for the deployed
 * path (two sequential round trips in the fulfillment hot path, Lex in front of it); replace
 * them with what the staging capacity run measures (the report prints the measured figures).
 */
export const DEFAULT_PER_TURN_COST: PerTurnCost = {
  channelLambdaMs: 300,
  fulfillmentLambdaMs: 120,
  codeHookInvocationsPerTurn: 1.3,
  lexCallsPerTurn: 1,
  lexLatencyMs: 250,
  comprehendSentimentCallsPerTurn: 1,
  comprehendLanguageCallsPerTurn: 0.15,
  translateCallsPerTurn: 0.1,
  pollyCallsPerTurn: 0.1,
  dynamoWritesPerTurn: 1,
  dynamoItemBytes: 800,
  redisOpsPerTurn: 2,
  gateRedisOpsPerRequest: 1,
  kinesisRecordsPerTurn: 1,
  kinesisRecordBytes: 600,
};

/** The product requirement: 10 million conversations a day, 6 turns each, 3x peak. */
export const DEFAULT_CAPACITY_INPUTS: CapacityInputs = {
  conversationsPerDay: 10_000_000,
  turnsPerConversation: 6,
  peakFactor: 3,
  perTurn: DEFAULT_PER_TURN_COST,
  knowledge: DEFAULT_KNOWLEDGE_TURN_COST,
  headroom: 1.25,
  kinesisShardUtilisation: 0.5,
  quotas: DEFAULT_QUOTAS,
  tickets: DEFAULT_TICKET_AND_ORDER_LOAD,
  feedback: DEFAULT_FEEDBACK_LOAD,
};

export const SECONDS_PER_DAY = 86_400;

export interface CapacityPlan {
  readonly inputs: CapacityInputs;
  readonly turnsPerDay: number;
  readonly averageTurnsPerSecond: number;
  readonly peakTurnsPerSecond: number;
  readonly peakConversationsPerSecond: number;
  /** Requests/s the channel API takes at peak: the turns and the feedback requests. */
  readonly peakChannelRequestsPerSecond: number;
  readonly lambda: {
    /**
     * Concurrency at peak (Little's law: rate x duration), before headroom; the channel
     * function's includes the feedback requests (`feedback.channelConcurrency`).
     */
    readonly channelConcurrency: number;
    readonly fulfillmentConcurrency: number;
    /** What the fulfillment function reserves (with headroom): environments.ts uses it. */
    readonly fulfillmentReservedConcurrency: number;
    /** What the channel function needs at peak with headroom (unreserved pool). */
    readonly channelConcurrencyWithHeadroom: number;
    /** Account concurrency both need, with headroom. */
    readonly accountConcurrency: number;
    /**
     * Regional concurrency every function of the stage needs: `accountConcurrency` and the
     * ticket worker's maximum concurrency (`tickets.workerMaxConcurrency`).
     */
    readonly regionalConcurrency: number;
  };
  readonly kinesis: {
    /** Conversation events/s: one per turn and one per feedback. */
    readonly recordsPerSecond: number;
    readonly bytesPerSecond: number;
    /** Provisioned shards (with utilisation target and headroom): environments.ts uses it. */
    readonly shards: number;
    /** Shards needed at 100% utilisation, no headroom (the floor). */
    readonly minimumShards: number;
  };
  readonly dynamodb: {
    /** Write units/s on the conversation table: the turns' puts and the feedback UpdateItems. */
    readonly writeUnitsPerSecond: number;
    /** true when peak writes exceed what a new on-demand table takes: pre-warm it. */
    readonly preWarm: boolean;
  };
  readonly redis: {
    /** The fulfillment's session commands and the channel gate's script, per second. */
    readonly opsPerSecond: number;
    /** One ioredis connection per warm fulfillment and channel environment. */
    readonly connections: number;
  };
  readonly lex: { readonly callsPerSecond: number; readonly concurrency: number };
  readonly comprehend: { readonly sentimentPerSecond: number; readonly languagePerSecond: number };
  readonly translate: { readonly callsPerSecond: number };
  readonly polly: { readonly callsPerSecond: number };
  readonly knowledge: {
    /** Knowledge turns/s at peak: each makes one Retrieve call. */
    readonly turnsPerSecond: number;
    /** Converse calls/s at peak (the knowledge turns that reach the model). */
    readonly modelCallsPerSecond: number;
    /** Tokens/minute the Converse calls reserve (input + maxTokens). */
    readonly tokensPerMinute: number;
    /**
     * Guardrail text units/s, per kind of policy: the input policies (denied topics, content,
     * sensitive information, words) read the question on Retrieve and on Converse and the answer;
     * the contextual grounding check reads the passages, the question and the answer.
     */
    readonly policyTextUnitsPerSecond: number;
    readonly groundingTextUnitsPerSecond: number;
  };
  readonly tickets: {
    /** Ticket requests enqueued per second at peak (SQS SendMessage calls/s). */
    readonly requestsPerSecond: number;
    /** Worker invocations/s at peak (one per batch of `messagesPerInvocation`). */
    readonly workerInvocationsPerSecond: number;
    /**
     * SQS API requests/s on the ticket queue: SendMessage, the worker's ReceiveMessage and
     * DeleteMessageBatch per invocation, plus the event source's idle long polls (5 pollers / 20 s).
     */
    readonly sqsRequestsPerSecond: number;
    /** Worker concurrency at peak (Little's law), before headroom. */
    readonly workerConcurrency: number;
    /** The event source's maximum concurrency (with headroom, at least 2): environments.ts uses it. */
    readonly workerMaxConcurrency: number;
    /** PutEvents calls/s (one TicketCreated per ticket). */
    readonly putEventsPerSecond: number;
  };
  readonly orders: { readonly lookupsPerSecond: number };
  /** What feedback adds at peak (already counted in the channel, stream and table totals above). */
  readonly feedback: {
    /** Feedback requests/s: new conversations/s x feedback per conversation (channel invocations/s). */
    readonly requestsPerSecond: number;
    /** Channel function concurrency they hold (Little's law), before headroom. */
    readonly channelConcurrency: number;
    /** UpdateItem write units/s on the conversation table. */
    readonly writeUnitsPerSecond: number;
    /** Feedback events/s on the conversation stream, and their bytes/s. */
    readonly streamRecordsPerSecond: number;
    readonly streamBytesPerSecond: number;
  };
  readonly dependencies: readonly DependencyDemand[];
}

/** The plan's figures, before each dependency is compared with its quota (quotas.ts). */
export type CapacityFigures = Omit<CapacityPlan, 'dependencies'>;

function positive(value: number, field: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${field} must be a positive number`);
}
function nonNegative(value: number, field: string): void {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${field} must be zero or more`);
}

export function validateCapacityInputs(inputs: CapacityInputs): void {
  positive(inputs.conversationsPerDay, 'conversationsPerDay');
  positive(inputs.turnsPerConversation, 'turnsPerConversation');
  if (!(inputs.peakFactor >= 1)) throw new Error('peakFactor must be at least 1');
  if (!(inputs.headroom >= 1)) throw new Error('headroom must be at least 1');
  if (!(inputs.kinesisShardUtilisation > 0 && inputs.kinesisShardUtilisation <= 1))
    throw new Error('kinesisShardUtilisation must be in (0, 1]');
  for (const [k, v] of Object.entries(inputs.perTurn)) nonNegative(v as number, `perTurn.${k}`);
  for (const [k, v] of Object.entries(inputs.knowledge)) nonNegative(v as number, `knowledge.${k}`);
  for (const k of ['shareOfTurns', 'modelShare'] as const) {
    if (!(inputs.knowledge[k] <= 1)) throw new Error(`knowledge.${k} must be in [0, 1]`);
  }
  for (const [k, v] of Object.entries(inputs.quotas)) positive(v as number, `quotas.${k}`);
  const t = inputs.tickets;
  for (const share of ['ticketTurnShare', 'orderLookupTurnShare'] as const) {
    if (!(t[share] >= 0 && t[share] <= 1)) throw new Error(`tickets.${share} must be in [0, 1]`);
  }
  positive(t.workerMsPerInvocation, 'tickets.workerMsPerInvocation');
  if (!(t.messagesPerInvocation >= 1)) throw new Error('tickets.messagesPerInvocation must be at least 1');
  for (const [k, v] of Object.entries(inputs.feedback)) nonNegative(v as number, `feedback.${k}`);
  if (!(inputs.feedback.perConversation <= inputs.turnsPerConversation))
    throw new Error('feedback.perConversation must be at most turnsPerConversation (one per answer)');
}

/** DynamoDB write units of one write of an item of `bytes` (a unit covers 1 KB). */
const writeUnitsPerItem = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/**
 * Redis at peak: the fulfillment's session commands per turn and the channel gate's script per
 * channel request (turns and feedback); one ioredis connection per warm environment of each.
 */
function redisSizing(
  peakTurns: number,
  peakChannelRequests: number,
  perTurn: PerTurnCost,
  lambda: CapacityFigures['lambda'],
): CapacityFigures['redis'] {
  return {
    opsPerSecond: peakTurns * perTurn.redisOpsPerTurn + peakChannelRequests * perTurn.gateRedisOpsPerRequest,
    connections: lambda.fulfillmentReservedConcurrency + lambda.channelConcurrencyWithHeadroom,
  };
}

/**
 * Feedback at peak: new conversations/s x feedback per conversation; each one channel
 * invocation, one UpdateItem on the turn's item (charged on the item with its feedback) and one
 * stream record.
 */
function feedbackSizing(peakConversations: number, inputs: CapacityInputs): CapacityPlan['feedback'] {
  const f = inputs.feedback;
  const requestsPerSecond = peakConversations * f.perConversation;
  return {
    requestsPerSecond,
    channelConcurrency: (requestsPerSecond * f.channelLambdaMs) / 1000,
    writeUnitsPerSecond:
      requestsPerSecond * writeUnitsPerItem(inputs.perTurn.dynamoItemBytes + f.attributeBytes),
    streamRecordsPerSecond: requestsPerSecond,
    streamBytesPerSecond: requestsPerSecond * f.eventBytes,
  };
}

/** Event source pollers long-polling an idle queue (Lambda starts with 5), and SQS's 20 s long poll. */
const IDLE_POLLERS = 5;
const LONG_POLL_SECONDS = 20;

/** The ticket path: queue requests, worker concurrency (Little's law), PutEvents; and order lookups. */
function ticketSizing(peak: number, inputs: CapacityInputs): Pick<CapacityPlan, 'tickets' | 'orders'> {
  const t = inputs.tickets;
  const requestsPerSecond = peak * t.ticketTurnShare;
  const invocationsPerSecond = requestsPerSecond / t.messagesPerInvocation;
  const workerConcurrency = (invocationsPerSecond * t.workerMsPerInvocation) / 1000;
  return {
    tickets: {
      requestsPerSecond,
      workerInvocationsPerSecond: invocationsPerSecond,
      sqsRequestsPerSecond: requestsPerSecond + 2 * invocationsPerSecond + IDLE_POLLERS / LONG_POLL_SECONDS,
      workerConcurrency,
      workerMaxConcurrency: Math.max(2, Math.ceil(workerConcurrency * inputs.headroom)),
      putEventsPerSecond: requestsPerSecond,
    },
    orders: { lookupsPerSecond: peak * t.orderLookupTurnShare },
  };
}

/** Peak turns/s: conversations/day x turns / 86,400 x peak factor. */
export function peakTurnsPerSecond(
  inputs: Pick<CapacityInputs, 'conversationsPerDay' | 'turnsPerConversation' | 'peakFactor'>,
): number {
  return ((inputs.conversationsPerDay * inputs.turnsPerConversation) / SECONDS_PER_DAY) * inputs.peakFactor;
}

/** Provisioned Kinesis shards for a write load. */
export function kinesisShards(
  recordsPerSecond: number,
  bytesPerSecond: number,
  opts: { utilisation: number; headroom: number; quotas: DefaultQuotas },
): number {
  const byRecords = recordsPerSecond / opts.quotas.kinesisRecordsPerShardPerSecond;
  const byBytes = bytesPerSecond / opts.quotas.kinesisBytesPerShardPerSecond;
  return Math.max(1, Math.ceil((Math.max(byRecords, byBytes) * opts.headroom) / opts.utilisation));
}

/** What knowledge answers add to an average turn, ms: the share of knowledge turns x their answer time. */
const knowledgeMsPerTurn = (k: KnowledgeTurnCost): number => k.shareOfTurns * k.answerMs;

/**
 * Lambda (Little's law): concurrency = arrival rate x duration; reserved with headroom. A
 * knowledge turn holds the fulfillment function for its answer, and the channel function waits
 * for it through Lex; feedback requests hold the channel function too.
 */
function lambdaSizing(
  peak: number,
  inputs: CapacityInputs,
  feedback: CapacityPlan['feedback'],
  tickets: CapacityPlan['tickets'],
): CapacityPlan['lambda'] {
  const { perTurn: t, headroom } = inputs;
  const knowledgeMs = knowledgeMsPerTurn(inputs.knowledge);
  const channelConcurrency = (peak * (t.channelLambdaMs + knowledgeMs)) / 1000 + feedback.channelConcurrency;
  const fulfillmentConcurrency =
    (peak * (t.codeHookInvocationsPerTurn * t.fulfillmentLambdaMs + knowledgeMs)) / 1000;
  const fulfillmentReservedConcurrency = Math.ceil(fulfillmentConcurrency * headroom);
  const channelConcurrencyWithHeadroom = Math.ceil(channelConcurrency * headroom);
  return {
    channelConcurrency,
    fulfillmentConcurrency,
    fulfillmentReservedConcurrency,
    channelConcurrencyWithHeadroom,
    accountConcurrency: fulfillmentReservedConcurrency + channelConcurrencyWithHeadroom,
    regionalConcurrency:
      fulfillmentReservedConcurrency + channelConcurrencyWithHeadroom + tickets.workerMaxConcurrency,
  };
}

/** Kinesis: the turns' and the feedback's events; provisioned shards at the utilisation target with headroom, and the floor. */
function kinesisSizing(
  peak: number,
  inputs: CapacityInputs,
  feedback: CapacityPlan['feedback'],
): CapacityPlan['kinesis'] {
  const turnRecords = peak * inputs.perTurn.kinesisRecordsPerTurn;
  const recordsPerSecond = turnRecords + feedback.streamRecordsPerSecond;
  const bytesPerSecond = turnRecords * inputs.perTurn.kinesisRecordBytes + feedback.streamBytesPerSecond;
  const shards = kinesisShards(recordsPerSecond, bytesPerSecond, {
    utilisation: inputs.kinesisShardUtilisation,
    headroom: inputs.headroom,
    quotas: inputs.quotas,
  });
  const minimumShards = kinesisShards(recordsPerSecond, bytesPerSecond, {
    utilisation: 1,
    headroom: 1,
    quotas: inputs.quotas,
  });
  return { recordsPerSecond, bytesPerSecond, shards, minimumShards };
}

/** DynamoDB: the turns' writes and the feedback UpdateItems; a write unit covers an item of up to 1 KB. */
function dynamodbSizing(
  peak: number,
  inputs: CapacityInputs,
  feedback: CapacityPlan['feedback'],
): CapacityPlan['dynamodb'] {
  const t = inputs.perTurn;
  const writeUnitsPerSecond =
    peak * t.dynamoWritesPerTurn * writeUnitsPerItem(t.dynamoItemBytes) + feedback.writeUnitsPerSecond;
  const preWarm = writeUnitsPerSecond * inputs.headroom > inputs.quotas.dynamoNewTableWritesPerSecond;
  return { writeUnitsPerSecond, preWarm };
}

/** The managed AI services: calls/s at peak (and Lex's concurrency at its latency, knowledge answers included). */
function aiServiceCalls(
  peak: number,
  t: PerTurnCost,
  k: KnowledgeTurnCost,
): Pick<CapacityPlan, 'lex' | 'comprehend' | 'translate' | 'polly'> {
  const lexCalls = peak * t.lexCallsPerTurn;
  return {
    lex: {
      callsPerSecond: lexCalls,
      concurrency: (lexCalls * (t.lexLatencyMs + knowledgeMsPerTurn(k))) / 1000,
    },
    comprehend: {
      sentimentPerSecond: peak * t.comprehendSentimentCallsPerTurn,
      languagePerSecond: peak * t.comprehendLanguageCallsPerTurn,
    },
    translate: { callsPerSecond: peak * t.translateCallsPerTurn },
    polly: { callsPerSecond: peak * t.pollyCallsPerTurn },
  };
}

/** Bedrock: Retrieve on every knowledge turn, Converse on those with passages, the guardrail on both. */
function knowledgeSizing(peak: number, k: KnowledgeTurnCost): CapacityPlan['knowledge'] {
  const turnsPerSecond = peak * k.shareOfTurns;
  const modelCallsPerSecond = turnsPerSecond * k.modelShare;
  return {
    turnsPerSecond,
    modelCallsPerSecond,
    tokensPerMinute: modelCallsPerSecond * (k.inputTokens + k.maxOutputTokens) * 60,
    policyTextUnitsPerSecond:
      turnsPerSecond * k.questionTextUnits + modelCallsPerSecond * (k.questionTextUnits + k.answerTextUnits),
    groundingTextUnitsPerSecond:
      modelCallsPerSecond * (k.groundingSourceTextUnits + k.questionTextUnits + k.answerTextUnits),
  };
}

/** The whole plan. Throws (naming the field) on nonsense inputs. */
export function planCapacity(inputs: CapacityInputs = DEFAULT_CAPACITY_INPUTS): CapacityPlan {
  validateCapacityInputs(inputs);
  const turnsPerDay = inputs.conversationsPerDay * inputs.turnsPerConversation;
  const peak = peakTurnsPerSecond(inputs);
  const peakConversations = peak / inputs.turnsPerConversation;
  const feedback = feedbackSizing(peakConversations, inputs);
  const ticketsAndOrders = ticketSizing(peak, inputs);
  const lambda = lambdaSizing(peak, inputs, feedback, ticketsAndOrders.tickets);
  const ai = aiServiceCalls(peak, inputs.perTurn, inputs.knowledge);
  const figures: CapacityFigures = {
    inputs,
    turnsPerDay,
    averageTurnsPerSecond: turnsPerDay / SECONDS_PER_DAY,
    peakTurnsPerSecond: peak,
    peakConversationsPerSecond: peakConversations,
    peakChannelRequestsPerSecond: peak + feedback.requestsPerSecond,
    lambda,
    kinesis: kinesisSizing(peak, inputs, feedback),
    dynamodb: dynamodbSizing(peak, inputs, feedback),
    redis: redisSizing(peak, peak + feedback.requestsPerSecond, inputs.perTurn, lambda),
    lex: ai.lex,
    comprehend: ai.comprehend,
    translate: ai.translate,
    polly: ai.polly,
    knowledge: knowledgeSizing(peak, inputs.knowledge),
    ...ticketsAndOrders,
    feedback,
  };
  return { ...figures, dependencies: dependencyDemands(figures) };
}

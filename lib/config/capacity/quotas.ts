/**
 * Each dependency's peak demand (from the capacity model, model.ts) against its default quota:
 * the verdict, the quota to request when over it, and how the design stays inside. The rows,
 * their order and their notes are what `npm run capacity` and the load-test report show.
 */
import type { CapacityFigures } from './model';

/**
 * - `within`: the default quota carries the peak.
 * - `increase`: request this quota increase before the staging capacity run and prod.
 * - `design`: over the default quota with the per-turn cost given, but a design choice (stated)
 *   brings it under; `requestQuota` is the increase to request if that choice is not taken.
 * - `no-quota`: no published default rate quota (scales by itself); watch its throttle metric.
 */
export type QuotaVerdict = 'within' | 'increase' | 'design' | 'no-quota';

export interface DependencyDemand {
  readonly dependency: string;
  /** What is counted, e.g. "concurrent executions", "calls/s". */
  readonly unit: string;
  /** Demand at peak (with headroom where provisioned). */
  readonly demand: number;
  /** The default quota, undefined when none is published. */
  readonly quota?: number;
  readonly verdict: QuotaVerdict;
  /** The quota to request (demand x headroom, 2 significant figures) when over the default. */
  readonly requestQuota?: number;
  /** How the design keeps it under (or why the increase is unavoidable). */
  readonly note: string;
}

/**
 * API Gateway's account-level throttle in a Region, shared by every API of the account (HTTP,
 * REST and WebSocket APIs): a steady rate and a token bucket of `burst` requests. A stage's own
 * throttle above either is not honoured, so plan.ts caps the channel API's burst at it. Raise
 * these only once Service Quotas shows the increase granted in every target account.
 */
export const API_GATEWAY_ACCOUNT_QUOTAS = {
  /** Steady-state requests/s, across the account's APIs. */
  requestsPerSecond: 10_000,
  /** Burst: the token bucket's capacity, requests. */
  burst: 5_000,
} as const;

/** Rounds a quota request up to 2 significant figures (1,188 -> 1,200; 2,083 -> 2,100). */
export function roundUpQuota(value: number): number {
  if (value <= 0) return 0;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.ceil(value / magnitude) * magnitude;
}

/** One dependency to compare: its demand, its quota and what to say either side of it. */
interface DemandSpec {
  readonly dependency: string;
  readonly unit: string;
  readonly demand: number;
  /** undefined when no quota is published. */
  readonly quota: number | undefined;
  /** The verdict and note when the demand is over the quota. */
  readonly over: { readonly verdict: 'increase' | 'design'; readonly note: string };
  /** The note when the demand is within the quota, or when there is none. */
  readonly underNote: string;
}

function compareWithQuota(spec: DemandSpec, headroom: number): DependencyDemand {
  const { dependency, unit, demand, quota, over, underNote } = spec;
  if (quota === undefined) return { dependency, unit, demand, verdict: 'no-quota', note: underNote };
  if (demand <= quota) return { dependency, unit, demand, quota, verdict: 'within', note: underNote };
  return {
    dependency,
    unit,
    demand,
    quota,
    verdict: over.verdict,
    requestQuota: roundUpQuota(demand * headroom),
    note: over.note,
  };
}

/** The Regional Lambda row's breakdown: the ticket worker's cap and the feedback's share of the channel's. */
const lambdaShares = (f: CapacityFigures): string =>
  `; the ticket worker at most ${f.tickets.workerMaxConcurrency}; feedback (${f.feedback.requestsPerSecond.toFixed(1)} requests/s) holds ${f.feedback.channelConcurrency.toFixed(1)} of the channel's`;

/** Lambda (every function of the stage shares the Regional concurrency) and Lex: the compute every turn goes through. */
function computeSpecs(f: CapacityFigures): DemandSpec[] {
  const reserved = f.lambda.fulfillmentReservedConcurrency;
  return [
    {
      dependency: 'Lambda (channel + fulfillment + ticket worker)',
      unit: 'concurrent executions',
      demand: f.lambda.regionalConcurrency,
      quota: f.inputs.quotas.lambdaConcurrentExecutions,
      over: {
        verdict: 'increase',
        note: `request a Regional concurrency increase; fulfillment reserves ${reserved} so the channel function cannot starve it${lambdaShares(f)}`,
      },
      underNote: `fulfillment reserves ${reserved}; the channel function uses the unreserved pool${lambdaShares(f)}`,
    },
    {
      dependency: 'Lex V2 RecognizeText',
      unit: 'concurrent requests',
      demand: f.lex.concurrency,
      quota: f.inputs.quotas.lexConcurrentTextRequests,
      over: {
        verdict: 'increase',
        note: 'every turn is one RecognizeText call (no way around it): request the runtime concurrency increase for the live alias',
      },
      underNote: 'one RecognizeText per turn',
    },
  ];
}

/** API Gateway: the channel API, one request per turn and per feedback, under the account-level throttle. */
function apiSpecs(f: CapacityFigures): DemandSpec[] {
  const { requestsPerSecond, burst } = API_GATEWAY_ACCOUNT_QUOTAS;
  return [
    {
      dependency: 'API Gateway (account throttle)',
      unit: 'requests/s',
      demand: f.peakChannelRequestsPerSecond,
      quota: requestsPerSecond,
      over: {
        verdict: 'increase',
        note: `request a higher account-level throttle rate (and burst, ${burst}) for API Gateway in the Region, then raise API_GATEWAY_ACCOUNT_QUOTAS`,
      },
      underNote: `one channel request per turn and per feedback (${f.feedback.requestsPerSecond.toFixed(1)}/s); shared by every API of the account and Region; its burst bucket (${burst} requests) caps the channel API stage's burst (plan.ts apiThrottle)`,
    },
  ];
}

/** Comprehend, Translate and Polly: called on some turns only. */
function aiServiceSpecs(f: CapacityFigures): DemandSpec[] {
  const q = f.inputs.quotas;
  return [
    {
      dependency: 'Comprehend DetectSentiment',
      unit: 'calls/s',
      demand: f.comprehend.sentimentPerSecond,
      quota: q.comprehendDetectSentimentPerSecond,
      over: {
        verdict: 'design',
        note: "Lex's own sentiment analysis is on (bot stack sentimentAnalysisSettings): the handler skips Comprehend when Lex sent a sentiment, so the demand shown is the worst case (Lex sending none); request the increase only if staging shows Comprehend calls",
      },
      underNote: 'sentiment is called only when Lex did not send one',
    },
    {
      dependency: 'Comprehend DetectDominantLanguage',
      unit: 'calls/s',
      demand: f.comprehend.languagePerSecond,
      quota: q.comprehendDetectLanguagePerSecond,
      over: {
        verdict: 'increase',
        note: 'called only on fallback / low-confidence turns (3+ characters); the remaining rate needs an increase',
      },
      underNote: 'called only on fallback / low-confidence turns',
    },
    {
      dependency: 'Translate TranslateText',
      unit: 'calls/s',
      demand: f.translate.callsPerSecond,
      quota: undefined,
      over: { verdict: 'increase', note: '' },
      underNote:
        'no published rate quota (scales; sustained throttling -> AWS Support); called only for turns in another language, in and out in parallel; watch ThrottledCount',
    },
    {
      dependency: 'Polly SynthesizeSpeech (neural)',
      unit: 'calls/s',
      demand: f.polly.callsPerSecond,
      quota: q.pollyNeuralPerSecond,
      over: {
        verdict: 'increase',
        note: 'voice turns only, loaded lazily; request the neural TPS increase (or use standard voices: 80 TPS) and cache audio of the fixed prompts',
      },
      underNote: 'voice turns only',
    },
  ];
}

/** Bedrock: the knowledge turns' retrieval, model tokens and guardrail policies. */
function knowledgeSpecs(f: CapacityFigures): DemandSpec[] {
  const { quotas: q, knowledge: k } = f.inputs;
  const share = `${k.shareOfTurns * 100}% of turns (config knowledge.shareOfTurns)`;
  const guardrail = (policy: string, quota: number): DemandSpec => ({
    dependency: `Bedrock Guardrails ${policy}`,
    unit: 'text units/s',
    demand:
      policy === 'contextual grounding'
        ? f.knowledge.groundingTextUnitsPerSecond
        : f.knowledge.policyTextUnitsPerSecond,
    quota,
    over: {
      verdict: 'increase',
      note:
        policy === 'contextual grounding'
          ? 'the passages, the question and the answer of each model call; request the increase (or fewer/shorter passages)'
          : 'the question (Retrieve and Converse) and the answer of each knowledge turn; request the increase',
    },
    underNote: `knowledge turns only (${share})`,
  });
  return [
    {
      dependency: 'Bedrock Retrieve (Knowledge Bases)',
      unit: 'calls/s',
      demand: f.knowledge.turnsPerSecond,
      quota: q.bedrockRetrievePerSecond,
      over: {
        verdict: 'increase',
        note: `one Retrieve per knowledge turn, ${share}: request the increase (the gating request; adjustability unconfirmed) or lower the share`,
      },
      underNote: `one Retrieve per knowledge turn, ${share}`,
    },
    {
      dependency: 'Bedrock model tokens (Converse)',
      unit: 'tokens/min',
      demand: f.knowledge.tokensPerMinute,
      quota: q.bedrockModelTokensPerMinute,
      over: {
        verdict: 'increase',
        note: `${k.modelShare * 100}% of knowledge turns reach the model, each reserving ${k.inputTokens} input + ${k.maxOutputTokens} maxTokens: request the cross-Region tokens-per-minute increase for the model`,
      },
      underNote: `${k.modelShare * 100}% of knowledge turns reach the model (no passage above the threshold: no call)`,
    },
    guardrail('denied topics', q.guardrailTopicTextUnitsPerSecond),
    guardrail('content filters', q.guardrailContentTextUnitsPerSecond),
    guardrail('sensitive information', q.guardrailSensitiveTextUnitsPerSecond),
    guardrail('word filters', q.guardrailWordTextUnitsPerSecond),
    guardrail('contextual grounding', q.guardrailGroundingTextUnitsPerSecond),
  ];
}

/** Kinesis, DynamoDB and Redis: the data path of every turn. */
function dataSpecs(f: CapacityFigures): DemandSpec[] {
  const { quotas: q, kinesisShardUtilisation, headroom } = f.inputs;
  return [
    {
      dependency: 'Kinesis Data Streams',
      unit: 'shards',
      demand: f.kinesis.shards,
      quota: q.kinesisShardsPerAccount,
      over: { verdict: 'increase', note: 'request more shards per account, or ON_DEMAND' },
      underNote: `${f.kinesis.minimumShards} shards at 100% of ${q.kinesisRecordsPerShardPerSecond} records/s each; provisioned ${f.kinesis.shards} (at ${kinesisShardUtilisation * 100}% utilisation with ${headroom}x headroom) or ON_DEMAND; ${Math.round(f.kinesis.recordsPerSecond)} records/s, of them ${f.feedback.streamRecordsPerSecond.toFixed(1)} feedback events`,
    },
    {
      dependency: 'DynamoDB (on-demand)',
      unit: 'write units/s',
      demand: f.dynamodb.writeUnitsPerSecond,
      quota: q.dynamoTableMaxWritesPerSecond,
      over: { verdict: 'increase', note: 'request a higher per-table on-demand maximum' },
      underNote:
        (f.dynamodb.preWarm
          ? `above the ${q.dynamoNewTableWritesPerSecond} writes/s a new table takes: pre-warm (warm throughput) before go-live`
          : `under the ${q.dynamoNewTableWritesPerSecond} writes/s a new on-demand table takes: no pre-warming needed`) +
        `; of them ${f.feedback.writeUnitsPerSecond.toFixed(1)} feedback UpdateItem units/s`,
    },
    {
      dependency: 'ElastiCache Redis',
      unit: 'commands/s',
      demand: f.redis.opsPerSecond,
      quota: q.redisOpsPerNodePerSecond,
      over: { verdict: 'increase', note: 'shard the replication group (cluster mode) or a larger node' },
      underNote: `${Math.ceil(f.redis.opsPerSecond)} commands/s and ${f.redis.connections} connections (maxclients ${q.redisMaxClients}) on one primary`,
    },
  ];
}

/** The ticket path (queue, worker, bus) and the order system. */
function ticketSpecs(f: CapacityFigures): DemandSpec[] {
  const t = f.tickets;
  return [
    {
      dependency: 'SQS ticket queue (standard)',
      unit: 'requests/s',
      demand: t.sqsRequestsPerSecond,
      quota: undefined,
      over: { verdict: 'increase', note: '' },
      underNote: `${t.requestsPerSecond.toFixed(1)} ticket requests/s; a standard queue has no published API rate quota (120,000 in-flight messages per queue: far above a worker that keeps up)`,
    },
    {
      dependency: 'Lambda (ticket worker)',
      unit: 'concurrent executions',
      demand: t.workerMaxConcurrency,
      quota: f.inputs.quotas.lambdaConcurrentExecutions,
      over: {
        verdict: 'increase',
        note: 'request a Regional concurrency increase (the worker shares it with the conversation functions)',
      },
      underNote: `${t.workerInvocationsPerSecond.toFixed(1)} invocations/s, ${t.workerConcurrency.toFixed(1)} concurrent at peak, capped at ${t.workerMaxConcurrency} by the event source's maximum concurrency (tickets.workerMaxConcurrency); counted in the Regional concurrency of the first Lambda row (${f.lambda.regionalConcurrency} in all)`,
    },
    {
      dependency: 'EventBridge PutEvents',
      unit: 'calls/s',
      demand: t.putEventsPerSecond,
      quota: f.inputs.quotas.eventBridgePutEventsPerSecond,
      over: { verdict: 'increase', note: 'request a higher PutEvents rate (account and Region)' },
      underNote:
        'one TicketCreated per ticket; the quota is per account and Region, shared with any other bus',
    },
    {
      dependency: 'Order system (orders.source)',
      unit: 'lookups/s',
      demand: f.orders.lookupsPerSecond,
      quota: undefined,
      over: { verdict: 'increase', note: '' },
      underNote:
        "the company's order system: agree this rate with its owners; each lookup is bounded by orders.timeoutMs and a circuit breaker, and a NAT gateway or PrivateLink endpoint carries it far below their limits",
    },
  ];
}

/** Every dependency's demand against its quota, in the order the tables show them. */
export function dependencyDemands(f: CapacityFigures): DependencyDemand[] {
  return [
    ...computeSpecs(f),
    ...apiSpecs(f),
    ...aiServiceSpecs(f),
    ...knowledgeSpecs(f),
    ...dataSpecs(f),
    ...ticketSpecs(f),
  ].map((spec) => compareWithQuota(spec, f.inputs.headroom));
}

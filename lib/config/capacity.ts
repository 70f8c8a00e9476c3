/**
 * The capacity model (DESIGN.md section 5): pure arithmetic from the traffic we must carry and
 * the measured cost of one turn to the sizing of every dependency, each compared with its
 * default quota. The stacks take their sizing from here (environments.ts: Kinesis shards,
 * fulfillment reserved concurrency), `npm run capacity` prints it, and the load-test report
 * compares what a run measured with it.
 *
 * Every number has a unit in its name or doc. Nothing here reads the clock, the network or
 * the environment.
 */

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
  /** Kinesis records per turn (one conversation event). */
  readonly kinesisRecordsPerTurn: number;
  /** Size of one conversation event, bytes. */
  readonly kinesisRecordBytes: number;
}

/** Default quotas of one account and Region (DESIGN.md section 5); check each in Service Quotas. */
export interface DefaultQuotas {
  /** Lambda concurrent executions per Region. */
  readonly lambdaConcurrentExecutions: number;
  /** Lex V2 concurrent RecognizeText requests per alias (DESIGN.md cites V1's 50 per alias). */
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
}

export interface CapacityInputs {
  readonly conversationsPerDay: number;
  readonly turnsPerConversation: number;
  /** Peak rate / average rate. */
  readonly peakFactor: number;
  readonly perTurn: PerTurnCost;
  /** Provisioning headroom over the computed peak (concurrency, shards). @default 1.25 */
  readonly headroom: number;
  /**
   * Fraction of a shard's limit we plan to use: partition keys (conversation ids) do not hash
   * perfectly evenly and retried PutRecords bursts come on top. @default 0.5
   */
  readonly kinesisShardUtilisation: number;
  readonly quotas: DefaultQuotas;
}

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
  kinesisRecordsPerTurn: 1,
  kinesisRecordBytes: 600,
};

/** The product requirement: 10 million conversations a day, 6 turns each, 3x peak. */
export const DEFAULT_CAPACITY_INPUTS: CapacityInputs = {
  conversationsPerDay: 10_000_000,
  turnsPerConversation: 6,
  peakFactor: 3,
  perTurn: DEFAULT_PER_TURN_COST,
  headroom: 1.25,
  kinesisShardUtilisation: 0.5,
  quotas: DEFAULT_QUOTAS,
};

export const SECONDS_PER_DAY = 86_400;

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

export interface CapacityPlan {
  readonly inputs: CapacityInputs;
  readonly turnsPerDay: number;
  readonly averageTurnsPerSecond: number;
  readonly peakTurnsPerSecond: number;
  readonly peakConversationsPerSecond: number;
  readonly lambda: {
    /** Concurrency at peak (Little's law: rate x duration), before headroom. */
    readonly channelConcurrency: number;
    readonly fulfillmentConcurrency: number;
    /** What the fulfillment function reserves (with headroom): environments.ts uses it. */
    readonly fulfillmentReservedConcurrency: number;
    /** What the channel function needs at peak with headroom (unreserved pool). */
    readonly channelConcurrencyWithHeadroom: number;
    /** Account concurrency both need, with headroom. */
    readonly accountConcurrency: number;
  };
  readonly kinesis: {
    readonly recordsPerSecond: number;
    readonly bytesPerSecond: number;
    /** Provisioned shards (with utilisation target and headroom): environments.ts uses it. */
    readonly shards: number;
    /** Shards needed at 100% utilisation, no headroom (the floor). */
    readonly minimumShards: number;
  };
  readonly dynamodb: {
    readonly writeUnitsPerSecond: number;
    /** true when peak writes exceed what a new on-demand table takes: pre-warm it. */
    readonly preWarm: boolean;
  };
  readonly redis: {
    readonly opsPerSecond: number;
    /** One ioredis connection per warm fulfillment environment. */
    readonly connections: number;
  };
  readonly lex: { readonly callsPerSecond: number; readonly concurrency: number };
  readonly comprehend: { readonly sentimentPerSecond: number; readonly languagePerSecond: number };
  readonly translate: { readonly callsPerSecond: number };
  readonly polly: { readonly callsPerSecond: number };
  readonly dependencies: readonly DependencyDemand[];
}

function positive(value: number, field: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${field} must be a positive number`);
}
function nonNegative(value: number, field: string): void {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${field} must be zero or more`);
}

/** Rounds a quota request up to 2 significant figures (1,188 -> 1,200; 2,083 -> 2,100). */
export function roundUpQuota(value: number): number {
  if (value <= 0) return 0;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.ceil(value / magnitude) * magnitude;
}

export function validateCapacityInputs(inputs: CapacityInputs): void {
  positive(inputs.conversationsPerDay, 'conversationsPerDay');
  positive(inputs.turnsPerConversation, 'turnsPerConversation');
  if (!(inputs.peakFactor >= 1)) throw new Error('peakFactor must be at least 1');
  if (!(inputs.headroom >= 1)) throw new Error('headroom must be at least 1');
  if (!(inputs.kinesisShardUtilisation > 0 && inputs.kinesisShardUtilisation <= 1))
    throw new Error('kinesisShardUtilisation must be in (0, 1]');
  for (const [k, v] of Object.entries(inputs.perTurn)) nonNegative(v as number, `perTurn.${k}`);
  for (const [k, v] of Object.entries(inputs.quotas)) positive(v as number, `quotas.${k}`);
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

/** The whole plan. Throws (naming the field) on nonsense inputs. */
export function planCapacity(inputs: CapacityInputs = DEFAULT_CAPACITY_INPUTS): CapacityPlan {
  validateCapacityInputs(inputs);
  const { perTurn: t, quotas: q, headroom } = inputs;
  const turnsPerDay = inputs.conversationsPerDay * inputs.turnsPerConversation;
  const averageTurnsPerSecond = turnsPerDay / SECONDS_PER_DAY;
  const peak = peakTurnsPerSecond(inputs);
  const peakConversationsPerSecond = peak / inputs.turnsPerConversation;

  // Lambda (Little's law): concurrency = arrival rate x duration.
  const channelConcurrency = (peak * t.channelLambdaMs) / 1000;
  const fulfillmentConcurrency = (peak * t.codeHookInvocationsPerTurn * t.fulfillmentLambdaMs) / 1000;
  const fulfillmentReservedConcurrency = Math.ceil(fulfillmentConcurrency * headroom);
  const channelConcurrencyWithHeadroom = Math.ceil(channelConcurrency * headroom);
  const accountConcurrency = fulfillmentReservedConcurrency + channelConcurrencyWithHeadroom;

  // Kinesis
  const recordsPerSecond = peak * t.kinesisRecordsPerTurn;
  const bytesPerSecond = recordsPerSecond * t.kinesisRecordBytes;
  const shards = kinesisShards(recordsPerSecond, bytesPerSecond, {
    utilisation: inputs.kinesisShardUtilisation,
    headroom,
    quotas: q,
  });
  const minimumShards = kinesisShards(recordsPerSecond, bytesPerSecond, {
    utilisation: 1,
    headroom: 1,
    quotas: q,
  });

  // DynamoDB: a write unit covers an item of up to 1 KB.
  const writeUnitsPerSecond = peak * t.dynamoWritesPerTurn * Math.max(1, Math.ceil(t.dynamoItemBytes / 1024));
  const preWarm = writeUnitsPerSecond * headroom > q.dynamoNewTableWritesPerSecond;

  // Redis
  const redisOps = peak * t.redisOpsPerTurn;
  const redisConnections = fulfillmentReservedConcurrency;

  // The managed AI services
  const lexCalls = peak * t.lexCallsPerTurn;
  const lexConcurrency = (lexCalls * t.lexLatencyMs) / 1000;
  const sentimentPerSecond = peak * t.comprehendSentimentCallsPerTurn;
  const languagePerSecond = peak * t.comprehendLanguageCallsPerTurn;
  const translatePerSecond = peak * t.translateCallsPerTurn;
  const pollyPerSecond = peak * t.pollyCallsPerTurn;

  const rate = (
    dependency: string,
    unit: string,
    demand: number,
    quota: number | undefined,
    over: { verdict: 'increase' | 'design'; note: string },
    underNote: string,
  ): DependencyDemand => {
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
  };

  const dependencies: DependencyDemand[] = [
    rate(
      'Lambda (channel + fulfillment)',
      'concurrent executions',
      accountConcurrency,
      q.lambdaConcurrentExecutions,
      {
        verdict: 'increase',
        note: `request a Regional concurrency increase; fulfillment reserves ${fulfillmentReservedConcurrency} so the channel function cannot starve it`,
      },
      `fulfillment reserves ${fulfillmentReservedConcurrency}; the channel function uses the unreserved pool`,
    ),
    rate(
      'Lex V2 RecognizeText',
      'concurrent requests',
      lexConcurrency,
      q.lexConcurrentTextRequests,
      {
        verdict: 'increase',
        note: 'every turn is one RecognizeText call (no way around it): request the runtime concurrency increase for the live alias',
      },
      'one RecognizeText per turn',
    ),
    rate(
      'Comprehend DetectSentiment',
      'calls/s',
      sentimentPerSecond,
      q.comprehendDetectSentimentPerSecond,
      {
        verdict: 'design',
        note: "Lex's own sentiment analysis is on (bot stack sentimentAnalysisSettings): the handler skips Comprehend when Lex sent a sentiment, so the demand shown is the worst case (Lex sending none); request the increase only if staging shows Comprehend calls",
      },
      'sentiment is called only when Lex did not send one',
    ),
    rate(
      'Comprehend DetectDominantLanguage',
      'calls/s',
      languagePerSecond,
      q.comprehendDetectLanguagePerSecond,
      {
        verdict: 'increase',
        note: 'called only on fallback / low-confidence turns (3+ characters); the remaining rate needs an increase',
      },
      'called only on fallback / low-confidence turns',
    ),
    rate(
      'Translate TranslateText',
      'calls/s',
      translatePerSecond,
      undefined,
      { verdict: 'increase', note: '' },
      'no published rate quota (scales; sustained throttling -> AWS Support); called only for turns in another language, in and out in parallel; watch ThrottledCount',
    ),
    rate(
      'Polly SynthesizeSpeech (neural)',
      'calls/s',
      pollyPerSecond,
      q.pollyNeuralPerSecond,
      {
        verdict: 'increase',
        note: 'voice turns only, loaded lazily; request the neural TPS increase (or use standard voices: 80 TPS) and cache audio of the fixed prompts',
      },
      'voice turns only',
    ),
    rate(
      'Kinesis Data Streams',
      'shards',
      shards,
      q.kinesisShardsPerAccount,
      { verdict: 'increase', note: 'request more shards per account, or ON_DEMAND' },
      `${minimumShards} shards at 100% of ${q.kinesisRecordsPerShardPerSecond} records/s each; provisioned ${shards} (at ${inputs.kinesisShardUtilisation * 100}% utilisation with ${headroom}x headroom) or ON_DEMAND`,
    ),
    rate(
      'DynamoDB (on-demand)',
      'write units/s',
      writeUnitsPerSecond,
      q.dynamoTableMaxWritesPerSecond,
      { verdict: 'increase', note: 'request a higher per-table on-demand maximum' },
      preWarm
        ? `above the ${q.dynamoNewTableWritesPerSecond} writes/s a new table takes: pre-warm (warm throughput) before go-live`
        : `under the ${q.dynamoNewTableWritesPerSecond} writes/s a new on-demand table takes: no pre-warming needed`,
    ),
    rate(
      'ElastiCache Redis',
      'commands/s',
      redisOps,
      q.redisOpsPerNodePerSecond,
      { verdict: 'increase', note: 'shard the replication group (cluster mode) or a larger node' },
      `${Math.ceil(redisOps)} commands/s and ${redisConnections} connections (maxclients ${q.redisMaxClients}) on one primary`,
    ),
  ];

  return {
    inputs,
    turnsPerDay,
    averageTurnsPerSecond,
    peakTurnsPerSecond: peak,
    peakConversationsPerSecond,
    lambda: {
      channelConcurrency,
      fulfillmentConcurrency,
      fulfillmentReservedConcurrency,
      channelConcurrencyWithHeadroom,
      accountConcurrency,
    },
    kinesis: { recordsPerSecond, bytesPerSecond, shards, minimumShards },
    dynamodb: { writeUnitsPerSecond, preWarm },
    redis: { opsPerSecond: redisOps, connections: redisConnections },
    lex: { callsPerSecond: lexCalls, concurrency: lexConcurrency },
    comprehend: { sentimentPerSecond, languagePerSecond },
    translate: { callsPerSecond: translatePerSecond },
    polly: { callsPerSecond: pollyPerSecond },
    dependencies,
  };
}

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

/** What a load test measured, to compare with the model. */
export interface MeasuredThroughput {
  /** Turns/s achieved while holding the target (or overall). */
  readonly turnsPerSecond: number;
  /** Turns/s the run aimed at. */
  readonly targetTurnsPerSecond: number;
  /** Measured mean turn latency, ms (client side: the per-turn cost seen end to end). */
  readonly meanTurnMs: number;
  /** p99 turn latency, ms. */
  readonly p99TurnMs: number;
  /** Share of turns that failed (0..1). */
  readonly errorRate: number;
  /** Load generators (distributed workers; 1 for a single process). */
  readonly workers: number;
}

export interface CapacityVerdict {
  /** Whether the run achieved its target rate (within 10%) with errors under the limit. */
  readonly targetHeld: boolean;
  /** achieved / target. */
  readonly achievedRatio: number;
  /** The model's peak turns/s. */
  readonly modelPeakTurnsPerSecond: number;
  /** Peak turns/s / measured turns/s: how many such units the peak needs. */
  readonly scaleOutFactor: number;
  /** Conversations/day the measured rate carries at the model's turns/conversation and peak factor. */
  readonly extrapolatedConversationsPerDay: number;
  /** The measured latency compared with the model's per-turn channel cost. */
  readonly measuredVsModelTurnMs: {
    readonly measured: number;
    readonly model: number;
    readonly ratio: number;
  };
  /** Concurrency the peak needs at the measured latency (Little's law). */
  readonly concurrencyAtPeakWithMeasuredLatency: number;
  /** true when the measured rate alone reaches the model's peak. */
  readonly meetsModelPeak: boolean;
  readonly summary: string;
}

/**
 * The report's verdict: what the measured throughput extrapolates to and whether the target
 * held. A local run on one machine is a scaled-down unit: its extrapolation says how many such
 * units the peak needs, not that one machine must carry it.
 */
export function capacityVerdict(
  measured: MeasuredThroughput,
  plan: CapacityPlan = CAPACITY_PLAN,
  opts: { maxErrorRate?: number } = {},
): CapacityVerdict {
  const maxErrorRate = opts.maxErrorRate ?? 0.01;
  const achievedRatio =
    measured.targetTurnsPerSecond > 0 ? measured.turnsPerSecond / measured.targetTurnsPerSecond : 0;
  const targetHeld = achievedRatio >= 0.9 && measured.errorRate <= maxErrorRate;
  const peak = plan.peakTurnsPerSecond;
  const scaleOutFactor = measured.turnsPerSecond > 0 ? peak / measured.turnsPerSecond : Infinity;
  const extrapolatedConversationsPerDay =
    (measured.turnsPerSecond / plan.inputs.peakFactor / plan.inputs.turnsPerConversation) * SECONDS_PER_DAY;
  const modelMs = plan.inputs.perTurn.channelLambdaMs;
  const meetsModelPeak = measured.turnsPerSecond >= peak * 0.9 && measured.errorRate <= maxErrorRate;
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const summary = [
    targetHeld
      ? `Target held: ${measured.turnsPerSecond.toFixed(1)} turns/s of ${measured.targetTurnsPerSecond} aimed at (${(achievedRatio * 100).toFixed(0)}%), error rate ${(measured.errorRate * 100).toFixed(2)}%.`
      : `Target NOT held: ${measured.turnsPerSecond.toFixed(1)} turns/s of ${measured.targetTurnsPerSecond} aimed at (${(achievedRatio * 100).toFixed(0)}%), error rate ${(measured.errorRate * 100).toFixed(2)}%.`,
    `At the model's ${plan.inputs.turnsPerConversation} turns/conversation and ${plan.inputs.peakFactor}x peak, ${measured.turnsPerSecond.toFixed(1)} turns/s carries ${fmt(extrapolatedConversationsPerDay)} conversations/day; the requirement (${fmt(plan.inputs.conversationsPerDay)}/day) needs ${fmt(peak)} turns/s at peak, ${scaleOutFactor.toFixed(1)}x this run.`,
    meetsModelPeak
      ? 'The measured rate reaches the model peak.'
      : `This run does not by itself demonstrate the peak: ${measured.workers > 1 ? 'more workers' : 'a distributed run against staging'} must.`,
    `Measured mean turn ${measured.meanTurnMs.toFixed(0)} ms vs the model's ${modelMs} ms channel cost (x${(measured.meanTurnMs / modelMs).toFixed(2)}): at peak that is ${fmt((peak * measured.meanTurnMs) / 1000)} concurrent turns in flight.`,
  ].join(' ');
  return {
    targetHeld,
    achievedRatio,
    modelPeakTurnsPerSecond: peak,
    scaleOutFactor,
    extrapolatedConversationsPerDay,
    measuredVsModelTurnMs: {
      measured: measured.meanTurnMs,
      model: modelMs,
      ratio: measured.meanTurnMs / modelMs,
    },
    concurrencyAtPeakWithMeasuredLatency: (peak * measured.meanTurnMs) / 1000,
    meetsModelPeak,
    summary,
  };
}

/** A plain-text table of the plan (what `npm run capacity` prints). */
export function formatCapacityTable(plan: CapacityPlan): string {
  const n = (v: number, digits = 0): string =>
    v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const i = plan.inputs;
  const lines: string[] = [];
  lines.push(
    `Capacity model: ${n(i.conversationsPerDay)} conversations/day x ${i.turnsPerConversation} turns, peak ${i.peakFactor}x, headroom ${i.headroom}x`,
  );
  lines.push(
    `  turns/day ${n(plan.turnsPerDay)}; average ${n(plan.averageTurnsPerSecond, 1)} turns/s; peak ${n(plan.peakTurnsPerSecond, 1)} turns/s (${n(plan.peakConversationsPerSecond, 1)} new conversations/s)`,
  );
  lines.push(
    `  Lambda: channel ${n(plan.lambda.channelConcurrency)} + fulfillment ${n(plan.lambda.fulfillmentConcurrency)} concurrent at peak; fulfillment reserved concurrency ${plan.lambda.fulfillmentReservedConcurrency}; account needs ${plan.lambda.accountConcurrency}`,
  );
  lines.push(
    `  Kinesis: ${n(plan.kinesis.recordsPerSecond)} records/s, ${n(plan.kinesis.bytesPerSecond / 1024)} KiB/s -> ${plan.kinesis.shards} shards (minimum ${plan.kinesis.minimumShards}) or ON_DEMAND`,
  );
  lines.push(
    `  DynamoDB: ${n(plan.dynamodb.writeUnitsPerSecond)} WCU/s on-demand${plan.dynamodb.preWarm ? ' (pre-warm)' : ''}; Redis: ${n(plan.redis.opsPerSecond)} ops/s, ${plan.redis.connections} connections`,
  );
  lines.push('');
  const header = [
    'dependency',
    'unit',
    'peak demand',
    'default quota',
    'verdict',
    'request',
    'how it stays inside',
  ];
  const rows = plan.dependencies.map((d) => [
    d.dependency,
    d.unit,
    n(d.demand, d.demand < 100 ? 1 : 0),
    d.quota === undefined ? '-' : n(d.quota),
    d.verdict === 'within'
      ? 'ok'
      : d.verdict === 'increase'
        ? 'INCREASE'
        : d.verdict === 'design'
          ? 'DESIGN'
          : 'no quota',
    d.requestQuota === undefined ? '' : n(d.requestQuota),
    d.note,
  ]);
  const widths = header.slice(0, 6).map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmtRow = (r: string[]): string =>
    r
      .slice(0, 6)
      .map((cell, c) => (c >= 2 && c <= 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ') + `  ${r[6]}`;
  lines.push(fmtRow(header));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  ') + '  ' + '-'.repeat(19));
  for (const r of rows) lines.push(fmtRow(r));
  return lines.join('\n');
}

/** The same table as markdown (for the load-test report). */
export function capacityMarkdownTable(plan: CapacityPlan): string {
  const n = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: v < 100 ? 1 : 0 });
  const out = [
    '| dependency | unit | peak demand | default quota | verdict | request | how it stays inside |',
    '|---|---|---:|---:|---|---:|---|',
  ];
  for (const d of plan.dependencies) {
    out.push(
      `| ${d.dependency} | ${d.unit} | ${n(d.demand)} | ${d.quota === undefined ? '-' : n(d.quota)} | ${d.verdict} | ${d.requestQuota === undefined ? '' : n(d.requestQuota)} | ${d.note} |`,
    );
  }
  return out.join('\n');
}

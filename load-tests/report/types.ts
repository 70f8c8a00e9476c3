/** The parts of Artillery 2's `--output` JSON the report reads. */
export interface ArtillerySummary {
  readonly min: number;
  readonly max: number;
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly median?: number;
  readonly p75?: number;
  readonly p90?: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999?: number;
}

export interface ArtilleryPeriod {
  readonly counters: Readonly<Record<string, number>>;
  readonly rates: Readonly<Record<string, number>>;
  readonly summaries: Readonly<Record<string, ArtillerySummary>>;
  readonly firstMetricAt?: number;
  readonly lastMetricAt?: number;
  readonly firstCounterAt?: number;
  readonly lastCounterAt?: number;
  /** Start of the (10 s) window, epoch ms; a number or a numeric string. */
  readonly period?: number | string;
}

export interface ArtilleryOutput {
  readonly aggregate: ArtilleryPeriod;
  readonly intermediate: readonly ArtilleryPeriod[];
}

/** One cost driver of an environment (a billable resource type), from `npm run cost`. */
export interface CostDriver {
  readonly name: string;
  readonly monthlyUsd: number;
  /** Share of the environment's monthly cost (0..1). */
  readonly share: number;
}

/** One environment's cost at its configured traffic, from `npm run cost`. */
export interface CostEnvironment {
  readonly name: string;
  readonly conversationsPerDay: number;
  readonly monthlyUsd: number;
  readonly per1000ConversationsUsd: number;
  readonly monthlyBudgetUsd?: number;
  readonly withinBudget?: boolean;
  readonly topDrivers: readonly CostDriver[];
}

/**
 * The cost summary `npm run cost -- --json` writes (lib/cost's `CostSummary`: kept structurally
 * identical), which the report shows beside the verdicts.
 */
export interface CostSummary {
  readonly generatedAt: string;
  readonly pricesDate: string;
  readonly region: string;
  readonly environments: readonly CostEnvironment[];
}

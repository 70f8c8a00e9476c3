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

/** The cost summary `npm run cost` writes (cost-report.json), shown beside the verdicts. */
export type {
  CostDriver,
  EnvironmentCost as CostEnvironment,
  CostSummary,
} from '../../contracts/cost-summary';

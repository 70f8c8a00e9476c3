/**
 * The cost summary `npm run cost` writes (cost-report.json; lib/cost computes it): per environment
 * the monthly cost at its configured traffic, the cost per 1,000 conversations, the budget verdict
 * and the top drivers. The load-test report renders it beside its verdicts.
 */
export interface CostDriver {
  readonly name: string;
  readonly monthlyUsd: number;
  /** Share of the environment's monthly cost, 0..1. */
  readonly share: number;
}

export interface EnvironmentCost {
  readonly name: string;
  readonly conversationsPerDay: number;
  readonly monthlyUsd: number;
  readonly per1000ConversationsUsd: number;
  readonly monthlyBudgetUsd?: number;
  readonly withinBudget?: boolean;
  readonly topDrivers: readonly CostDriver[];
}

export interface CostSummary {
  readonly generatedAt: string;
  readonly pricesDate: string;
  readonly region: string;
  readonly environments: readonly EnvironmentCost[];
  /** The delivery pipeline (tooling account), shared by the environments. */
  readonly pipeline?: { readonly monthlyUsd: number; readonly topDrivers: readonly CostDriver[] };
}

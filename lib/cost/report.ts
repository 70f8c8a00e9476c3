/** Puts the model together: every (or one) environment of a synthesized app, priced into a CostSummary. */
import type { AppConfig, EnvironmentName } from '../config/types';
import { ENVIRONMENT_NAMES } from '../config/types';
import { inventoryOf } from './inventory';
import { priceStage } from './model';
import { pricePipeline } from './pipeline';
import { PRICES_DATE, PRICES_REGION } from './prices';
import { drivers, environmentCost, type CostSummary } from './summary';
import type { SynthesizedApp } from './synth';
import { trafficOf, type TrafficOverrides } from './usage';

export interface CostOptions {
  /** Only these environments (default: all). */
  readonly environments?: readonly EnvironmentName[];
  /** What-ifs applied to each priced environment. */
  readonly overrides?: TrafficOverrides;
  /** @default new Date() */
  readonly now?: Date;
}

/** The summary of `synthesized` (built from `config`). */
export function costSummary(
  config: AppConfig,
  synthesized: SynthesizedApp,
  options: CostOptions = {},
): CostSummary {
  const names = options.environments ?? ENVIRONMENT_NAMES;
  const environments = names.map((name) => {
    const env = config.environments[name];
    const traffic = trafficOf(env, options.overrides);
    const lines = priceStage(inventoryOf(synthesized.stages[name]), env, traffic);
    return environmentCost(name, traffic.conversationsPerDay, lines, env.cost.monthlyBudgetUsd);
  });
  const pipelineLines = pricePipeline(
    synthesized.pipeline,
    synthesized.stageStacks * ENVIRONMENT_NAMES.length,
    ENVIRONMENT_NAMES.map((n) => config.environments[n]),
  );
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    pricesDate: PRICES_DATE,
    region: PRICES_REGION,
    environments,
    pipeline: {
      monthlyUsd: pipelineLines.reduce((n, l) => n + l.monthlyUsd, 0),
      topDrivers: drivers(pipelineLines),
    },
  };
}

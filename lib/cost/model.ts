/**
 * The cost model of one stage: its inventory (what the templates hold), its traffic (config and
 * flags) and the capacity model's per-turn figures, priced from prices.ts. Each group of lines is
 * in lib/cost/lines/; `priceStage` is all of them.
 */
import { DEFAULT_CAPACITY_INPUTS, type CapacityInputs } from '../config/capacity/model';
import type { EnvironmentConfig } from '../config/types';
import type { Inventory } from './inventory';
import { keysAndSecrets, lambda } from './lines/compute';
import type { Context, CostLine } from './lines/context';
import { knowledge, languageServices, lex } from './lines/conversation';
import { analytics, audio, dynamodb, elastiCache, kinesis, tickets } from './lines/data';
import { endpoints, web } from './lines/edge';
import { cloudWatch, xray } from './lines/observability';
import { monthlyVolumes, type Traffic } from './usage';

export type { CostLine } from './lines/context';

const GROUPS = [
  lex,
  lambda,
  languageServices,
  dynamodb,
  elastiCache,
  kinesis,
  analytics,
  audio,
  endpoints,
  cloudWatch,
  xray,
  knowledge,
  web,
  tickets,
  keysAndSecrets,
];

/** Every cost line of a stage at a traffic. */
export function priceStage(
  inventory: Inventory,
  env: EnvironmentConfig,
  traffic: Traffic,
  capacity: CapacityInputs = DEFAULT_CAPACITY_INPUTS,
): CostLine[] {
  const context: Context = { inventory, env, traffic, volumes: monthlyVolumes(traffic, capacity), capacity };
  return GROUPS.flatMap((group) => group(context));
}

/** The cost model (docs/cost.md): `npm run cost` prices every environment from its synthesized stage. */
export { RESOURCE_TYPE_COVERAGE, uncoveredTypes, type Coverage } from './coverage';
export { inventoryOf, type CfnTemplate, type Inventory } from './inventory';
export { priceStage, type CostLine } from './model';
export { pricePipeline } from './pipeline';
export { PRICES, PRICES_DATE, PRICES_REGION, monthlyCost, type PriceEntry, type PriceId } from './prices';
export { costSummary, type CostOptions } from './report';
export {
  environmentCost,
  formatSummary,
  type CostDriver,
  type CostSummary,
  type EnvironmentCost,
} from './summary';
export { cdkJsonContext, synthesizeApp, type SynthesizedApp } from './synth';
export {
  trafficOf,
  monthlyVolumes,
  USAGE,
  PIPELINE_USAGE,
  type Traffic,
  type TrafficOverrides,
} from './usage';

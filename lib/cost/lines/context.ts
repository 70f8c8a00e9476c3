/**
 * What every group of cost lines shares: the line shape, the context a stage is priced in, and
 * the helpers that price a quantity.
 */
import type { CapacityInputs } from '../../config/capacity/model';
import type { EnvironmentConfig } from '../../config/types';
import type { FunctionRole, Inventory } from '../inventory';
import { PRICES, monthlyCost, type PriceId } from '../prices';
import type { MonthlyVolumes, Traffic } from '../usage';

/** One priced quantity: `quantity` units of `price` a month, under a driver (what the summary ranks). */
export interface CostLine {
  readonly driver: string;
  readonly price: PriceId;
  readonly quantity: number;
  readonly monthlyUsd: number;
}

export const GB = 1e9;
export const TB = 1e12;

/** A line priced through the entry's tiers. */
export function line(driver: string, price: PriceId, quantity: number): CostLine {
  return { driver, price, quantity, monthlyUsd: monthlyCost(PRICES[price], quantity) };
}

/** A line at an explicit unit price (ElastiCache node types). */
export function lineAt(driver: string, price: PriceId, quantity: number, usd: number): CostLine {
  return { driver, price, quantity, monthlyUsd: quantity * usd };
}

/** What a group of lines is priced from: the stage's inventory, its config, traffic and volumes. */
export interface Context {
  readonly inventory: Inventory;
  readonly env: EnvironmentConfig;
  readonly traffic: Traffic;
  readonly volumes: MonthlyVolumes;
  readonly capacity: CapacityInputs;
}

/** Whether the stage has a function of this role (Comprehend, Translate, Polly are called by the fulfillment). */
export const hasFunction = (inventory: Inventory, role: FunctionRole): boolean =>
  inventory.functions.some((f) => f.role === role);

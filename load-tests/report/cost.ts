/**
 * The cost summary the report shows: which file to read (`--cost <file>`, `COST_SUMMARY_FILE`,
 * else `cost-report.json` at the repository root when it exists) and reading it with every
 * field checked (a bad field is named in the error).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CostDriver, CostEnvironment, CostSummary } from './types';

/** The environment variable naming the cost summary file. */
export const COST_SUMMARY_ENV = 'COST_SUMMARY_FILE';
/** The file every `npm run cost` writes at the repository root. */
export const DEFAULT_COST_FILE = 'cost-report.json';
/** How to produce the summary, as the report says when it has none. */
export const COST_COMMAND = 'npm run cost';

/**
 * The cost summary file to read: `explicit` (from `--cost`), else `$COST_SUMMARY_FILE`, else
 * `<repoRoot>/cost-report.json` if it exists; undefined when there is none.
 */
export function costSummaryFile(
  explicit: string | undefined,
  repoRoot: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const named = explicit ?? env[COST_SUMMARY_ENV];
  if (named) return resolve(named);
  const fallback = join(repoRoot, DEFAULT_COST_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

type Json = Record<string, unknown>;

function str(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new Error(`${path}.${key} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function numb(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`${path}.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function object(v: unknown, path: string): Json {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${path} must be an object`);
  return v as Json;
}

function array(o: Json, key: string, path: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new Error(`${path}.${key} must be an array`);
  return v;
}

function driverOf(v: unknown, path: string): CostDriver {
  const o = object(v, path);
  return {
    name: str(o, 'name', path),
    monthlyUsd: numb(o, 'monthlyUsd', path),
    share: numb(o, 'share', path),
  };
}

function environmentOf(v: unknown, path: string): CostEnvironment {
  const o = object(v, path);
  if (o.withinBudget !== undefined && typeof o.withinBudget !== 'boolean')
    throw new Error(`${path}.withinBudget must be a boolean, got ${JSON.stringify(o.withinBudget)}`);
  return {
    name: str(o, 'name', path),
    conversationsPerDay: numb(o, 'conversationsPerDay', path),
    monthlyUsd: numb(o, 'monthlyUsd', path),
    per1000ConversationsUsd: numb(o, 'per1000ConversationsUsd', path),
    ...(o.monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd: numb(o, 'monthlyBudgetUsd', path) } : {}),
    ...(o.withinBudget !== undefined ? { withinBudget: o.withinBudget as boolean } : {}),
    topDrivers: array(o, 'topDrivers', path).map((d, i) => driverOf(d, `${path}.topDrivers[${i}]`)),
  };
}

/** A cost summary from parsed JSON; throws naming the first field that does not fit. */
export function parseCostSummary(v: unknown, source = 'cost summary'): CostSummary {
  const o = object(v, source);
  return {
    generatedAt: str(o, 'generatedAt', source),
    pricesDate: str(o, 'pricesDate', source),
    region: str(o, 'region', source),
    environments: array(o, 'environments', source).map((e, i) =>
      environmentOf(e, `${source}.environments[${i}]`),
    ),
  };
}

/** Reads and checks the cost summary in `file`. */
export function readCostSummary(file: string): CostSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the cost summary ${file}: ${(err as Error).message}`);
  }
  return parseCostSummary(parsed, file);
}

/** `$1,234` (cents below $100). */
export const usd = (v: number): string =>
  `$${v.toLocaleString('en-US', { minimumFractionDigits: v < 100 ? 2 : 0, maximumFractionDigits: v < 100 ? 2 : 0 })}`;

/** Whether the environment's monthly cost is within its budget (its own answer first); undefined without a budget. */
export function withinBudget(e: CostEnvironment): boolean | undefined {
  if (e.monthlyBudgetUsd === undefined) return undefined;
  return e.withinBudget ?? e.monthlyUsd <= e.monthlyBudgetUsd;
}

/** The monthly budget with `✅ within` or `❌ over` (markdown); `-` without a budget. */
export function budgetCell(e: CostEnvironment): string {
  const within = withinBudget(e);
  if (within === undefined) return '-';
  return `${usd(e.monthlyBudgetUsd!)} ${within ? '✅ within' : '❌ over'}`;
}

/**
 * The cost summary: per environment its monthly cost, the cost per 1,000 conversations, the top
 * drivers and the budget verdict; `CostSummary` is the machine-readable shape (`npm run cost --
 * --json`, cost-report.json) the load-test report renders.
 */
import type { CostDriver, CostSummary, EnvironmentCost } from '../../contracts/cost-summary';
import type { CostLine } from './model';
import { DAYS_PER_MONTH } from './usage';

export type { CostDriver, CostSummary, EnvironmentCost };

/** Monthly USD per driver that costs anything, largest first, with its share of the total. */
export function drivers(lines: readonly CostLine[]): CostDriver[] {
  const byDriver = new Map<string, number>();
  for (const l of lines) byDriver.set(l.driver, (byDriver.get(l.driver) ?? 0) + l.monthlyUsd);
  const total = lines.reduce((n, l) => n + l.monthlyUsd, 0);
  return [...byDriver]
    .filter(([, monthlyUsd]) => monthlyUsd > 0)
    .map(([name, monthlyUsd]) => ({ name, monthlyUsd, share: total > 0 ? monthlyUsd / total : 0 }))
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd);
}

/** One environment's summary from its lines. */
export function environmentCost(
  name: string,
  conversationsPerDay: number,
  lines: readonly CostLine[],
  monthlyBudgetUsd?: number,
  top = 5,
): EnvironmentCost {
  const monthlyUsd = lines.reduce((n, l) => n + l.monthlyUsd, 0);
  const conversations = conversationsPerDay * DAYS_PER_MONTH;
  return {
    name,
    conversationsPerDay,
    monthlyUsd,
    per1000ConversationsUsd: (monthlyUsd / conversations) * 1000,
    ...(monthlyBudgetUsd === undefined
      ? {}
      : { monthlyBudgetUsd, withinBudget: monthlyUsd <= monthlyBudgetUsd }),
    topDrivers: drivers(lines).slice(0, top),
  };
}

const usd = (value: number): string =>
  `$${value.toLocaleString('en-US', { maximumFractionDigits: value < 100 ? 2 : 0, minimumFractionDigits: value < 100 ? 2 : 0 })}`;
const pct = (share: number): string => `${(share * 100).toFixed(0)}%`;

/** The plain-text table `npm run cost` prints. */
export function formatSummary(summary: CostSummary): string {
  const rows = summary.environments.map((e) => [
    e.name,
    e.conversationsPerDay.toLocaleString('en-US'),
    usd(e.monthlyUsd),
    usd(e.per1000ConversationsUsd),
    e.monthlyBudgetUsd === undefined
      ? '-'
      : `${usd(e.monthlyBudgetUsd)} ${e.withinBudget ? 'within' : 'OVER'}`,
    e.topDrivers
      .slice(0, 3)
      .map((d) => `${d.name} ${pct(d.share)}`)
      .join(', '),
  ]);
  const header = ['environment', 'conversations/day', 'monthly', 'per 1,000 conv.', 'budget', 'top drivers'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]): string =>
    r
      .map((cell, c) => (c >= 1 && c <= 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const details = summary.environments.flatMap((e) => [
    '',
    `${e.name}: top ${e.topDrivers.length} drivers of ${usd(e.monthlyUsd)}/month`,
    ...e.topDrivers.map(
      (d) => `  ${d.name.padEnd(40)} ${usd(d.monthlyUsd).padStart(14)}  ${pct(d.share).padStart(4)}`,
    ),
  ]);
  const pipeline = summary.pipeline
    ? [
        '',
        `pipeline (tooling account, shared): ${usd(summary.pipeline.monthlyUsd)}/month (${summary.pipeline.topDrivers
          .map((d) => `${d.name} ${usd(d.monthlyUsd)}`)
          .join(', ')})`,
      ]
    : [];
  return [
    `Cost model: ${summary.region} list prices of ${summary.pricesDate} (lib/cost/prices.ts), 730-hour month`,
    '',
    fmt(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(fmt),
    ...details,
    ...pipeline,
  ].join('\n');
}

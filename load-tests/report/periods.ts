/**
 * Reading Artillery's `--output` periods: merging the periods of one window (distributed runs),
 * putting them in time order, and looking up a metric or a family of counters. Pure.
 */
import type { ArtilleryOutput, ArtilleryPeriod, ArtillerySummary } from './types';

/** A number from a number or numeric string; undefined otherwise. */
export const num = (v: number | string | undefined): number | undefined =>
  v === undefined ? undefined : Number.isFinite(Number(v)) ? Number(v) : undefined;

/** Merges periods that share a window (distributed runs may hold one per worker). */
export function mergePeriods(periods: readonly ArtilleryPeriod[]): ArtilleryPeriod {
  if (periods.length === 1) return periods[0]!;
  const counters: Record<string, number> = {};
  const rates: Record<string, number> = {};
  const summaries: Record<string, ArtillerySummary> = {};
  for (const p of periods) {
    for (const [k, v] of Object.entries(p.counters ?? {})) counters[k] = (counters[k] ?? 0) + v;
    for (const [k, v] of Object.entries(p.rates ?? {})) rates[k] = (rates[k] ?? 0) + v;
  }
  const names = new Set(periods.flatMap((p) => Object.keys(p.summaries ?? {})));
  for (const name of names) {
    const parts = periods.map((p) => p.summaries?.[name]).filter((s): s is ArtillerySummary => !!s);
    const count = parts.reduce((n, s) => n + s.count, 0);
    // percentiles of merged sketches are not recoverable from summaries: count-weighted mean
    // (the aggregate, which Artillery merges from the sketches, stays exact)
    const w = (f: (s: ArtillerySummary) => number): number =>
      count ? parts.reduce((n, s) => n + f(s) * s.count, 0) / count : 0;
    summaries[name] = {
      min: Math.min(...parts.map((s) => s.min)),
      max: Math.max(...parts.map((s) => s.max)),
      count,
      mean: w((s) => s.mean),
      p50: w((s) => s.p50),
      p95: w((s) => s.p95),
      p99: w((s) => s.p99),
    };
  }
  const times = (f: (p: ArtilleryPeriod) => number | undefined): number[] =>
    periods.map(f).filter((x): x is number => x !== undefined);
  return {
    counters,
    rates,
    summaries,
    firstMetricAt: Math.min(...times((p) => num(p.firstMetricAt))),
    lastMetricAt: Math.max(...times((p) => num(p.lastMetricAt))),
    period: periods[0]!.period,
  };
}

/** The intermediate periods in time order, one per window. */
export function periodsInOrder(output: ArtilleryOutput): ArtilleryPeriod[] {
  const byWindow = new Map<number, ArtilleryPeriod[]>();
  for (const p of output.intermediate ?? []) {
    const key = num(p.period) ?? num(p.firstMetricAt) ?? 0;
    byWindow.set(key, [...(byWindow.get(key) ?? []), p]);
  }
  return [...byWindow.entries()].sort((a, b) => a[0] - b[0]).map(([, ps]) => mergePeriods(ps));
}

/** The counters under a prefix, keyed by the rest of their name. */
export function sumPrefix(
  counters: Readonly<Record<string, number>>,
  prefix: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counters)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

export const total = (o: Readonly<Record<string, number>>): number =>
  Object.values(o).reduce((n, v) => n + v, 0);
export const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** A metric's value from a period: counter (0 when absent), rate, or `summary.stat`. */
export function metricValue(period: ArtilleryPeriod, metric: string): number | null {
  if (metric in (period.counters ?? {})) return period.counters[metric]!;
  if (metric in (period.rates ?? {})) return period.rates[metric]!;
  const dot = metric.lastIndexOf('.');
  if (dot > 0) {
    const s = period.summaries?.[metric.slice(0, dot)] as unknown as Record<string, number> | undefined;
    const v = s?.[metric.slice(dot + 1)];
    if (typeof v === 'number') return v;
  }
  // counters Artillery only writes once they move (errors.*, vusers.failed in old versions)
  if (/^(vusers|errors|conversation)\./.test(metric) || /\.codes\.\d+$/.test(metric)) return 0;
  return null;
}

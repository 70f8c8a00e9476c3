/**
 * The report as markdown: what the pipeline shows the approver. Owns the markdown rendering of
 * each section, including the capacity model's dependency table.
 */
import type { CapacityPlan } from '../../lib/config/capacity/model';
import { CAPACITY_PLAN } from '../../lib/config/capacity/plan';
import type { LoadTestReport } from './build';
import { budgetCell, COST_COMMAND, usd } from './cost';

const ms = (v: number | null): string => (v === null ? '-' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);
const n1 = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 1 });
const pairs = (o: Readonly<Record<string, number>>, sep: string): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}${sep}${v}`)
    .join(', ');

/** The capacity model's dependency table as markdown (what `npm run capacity` prints as text). */
export function capacityMarkdownTable(plan: CapacityPlan): string {
  const n = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: v < 100 ? 1 : 0 });
  const out = [
    '| dependency | unit | peak demand | default quota | verdict | request | how it stays inside |',
    '|---|---|---:|---:|---|---:|---|',
  ];
  for (const d of plan.dependencies) {
    out.push(
      `| ${d.dependency} | ${d.unit} | ${n(d.demand)} | ${d.quota === undefined ? '-' : n(d.quota)} | ${d.verdict} | ${d.requestQuota === undefined ? '' : n(d.requestQuota)} | ${d.note} |`,
    );
  }
  return out.join('\n');
}

/** `✅ PASSED` / `❌ FAILED`: the thresholds verdict as colour and word. */
export function thresholdsBadge(r: LoadTestReport): string {
  return r.verdicts.thresholds.passed ? '✅ PASSED' : '❌ FAILED';
}

/** `✅ DEMONSTRATED` / `⚠️ NOT DEMONSTRATED`: the capacity verdict as colour and word. */
export function capacityBadge(r: LoadTestReport): string {
  return r.verdicts.capacity.demonstrated ? '✅ DEMONSTRATED' : '⚠️ NOT DEMONSTRATED';
}

/** The two headline verdicts, one paragraph each, before anything else. */
function verdicts(r: LoadTestReport): string[] {
  const { thresholds: t, capacity: c } = r.verdicts;
  return [
    `**Thresholds: ${thresholdsBadge(r)}** — ${t.detail}`,
    '',
    `**Capacity for ${c.requirement}: ${capacityBadge(r)}** — ${c.detail}${
      c.demonstrated ? '' : ` To demonstrate it: \`${c.command}\``
    }`,
    '',
  ];
}

function heading(r: LoadTestReport): string[] {
  const m = r.meta;
  return [
    `# Load test: ${m.profile} against ${m.environment}`,
    '',
    ...verdicts(r),
    `Target \`${m.target}\` · ${m.workers} load generator${m.workers === 1 ? '' : 's'} · ${m.startedAt ?? '?'} → ${m.endedAt ?? '?'} (${m.durationSeconds} s) · Artillery exit code ${m.artilleryExitCode}`,
    '',
    `${m.profileDescription}.`,
    '',
  ];
}

function summary(r: LoadTestReport): string[] {
  const { throughput: t, latency: l, errors: e, fallback: f } = r;
  return [
    '## Summary',
    '',
    '| measure | value |',
    '|---|---:|',
    `| turns/s while holding (target ${n1(r.meta.targetTurnsPerSecond)}) | **${n1(t.holdTurnsPerSecond)}** |`,
    `| conversations/s while holding | ${n1(t.holdConversationsPerSecond)} |`,
    `| turns/s, conversations/s over the whole run | ${n1(t.turnsPerSecond)}, ${n1(t.conversationsPerSecond)} |`,
    `| turns, conversations started / completed | ${t.turns}, ${t.conversationsStarted} / ${t.conversationsCompleted} |`,
    `| latency p50 / p95 / p99 (all requests) | ${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} |`,
    `| latency mean / max | ${ms(l.mean)} / ${ms(l.max)} |`,
    `| error rate (errors per turn) | ${pct(e.errorRate)} (${e.errors}) |`,
    `| failed conversations | ${pct(e.failedConversationRate)} (${e.failedConversations}) |`,
    `| hostile input refused as expected (4xx, not errors) | ${e.rejectedAsExpected} |`,
    `| fallback rate (FallbackIntent answers) | ${pct(f.fallbackRate)} (${f.fallbacks}, ${f.expectedFallbacks} of them to out-of-domain text) |`,
    `| unexpected fallback rate (in-domain utterances) | ${pct(f.unexpectedFallbackRate)} |`,
    `| intent match / slot fill rate | ${pct(f.intentMatchRate)} / ${pct(f.slotFillRate)} |`,
    '',
  ];
}

function thresholds(r: LoadTestReport): string[] {
  return [
    '## Thresholds',
    '',
    '| result | threshold | measured | rule |',
    '|---|---|---:|---|',
    ...r.thresholds.map(
      (t) =>
        `| ${t.passed ? 'PASS' : '**FAIL**'} | \`${t.expression}\` | ${t.value === null ? 'missing' : n1(t.value)} | ${t.description} |`,
    ),
    '',
  ];
}

function capacity(r: LoadTestReport, plan: CapacityPlan): string[] {
  const model = r.capacity.model;
  return [
    '## Capacity verdict',
    '',
    r.capacity.verdict.summary,
    '',
    `Model: ${model.conversationsPerDay.toLocaleString('en-US')} conversations/day × ${model.turnsPerConversation} turns, ${model.peakFactor}× peak → ${n1(model.peakTurnsPerSecond)} turns/s. Dependencies at that peak (\`npm run capacity\`):`,
    '',
    capacityMarkdownTable(plan),
    '',
  ];
}

/** The cost summary (`npm run cost -- --json`), or how to produce it. */
function cost(r: LoadTestReport): string[] {
  const c = r.meta.cost;
  if (!c)
    return [
      '## Cost',
      '',
      `No cost summary was given. Produce it with \`${COST_COMMAND}\` at the repository root (or pass \`--cost <file>\` / \`COST_SUMMARY_FILE\`), then run the load test again.`,
      '',
    ];
  return [
    '## Cost',
    '',
    `From \`npm run cost\` (${c.generatedAt}; prices of ${c.pricesDate}, ${c.region}):`,
    '',
    '| environment | conversations/day | monthly | per 1,000 conversations | budget | top drivers |',
    '|---|---:|---:|---:|---|---|',
    ...c.environments.map(
      (e) =>
        `| ${e.name} | ${e.conversationsPerDay.toLocaleString('en-US')} | ${usd(e.monthlyUsd)} | ${usd(e.per1000ConversationsUsd)} | ${budgetCell(e)} | ${e.topDrivers.map((d) => `${d.name} ${usd(d.monthlyUsd)} (${(d.share * 100).toFixed(0)}%)`).join(', ')} |`,
    ),
    '',
  ];
}

function endpoints(r: LoadTestReport): string[] {
  return [
    '## Per endpoint',
    '',
    '| request | count | status codes | errors | p50 | p95 | p99 | max |',
    '|---|---:|---|---:|---:|---:|---:|---:|',
    ...r.endpoints.map(
      (e) =>
        `| ${e.name} | ${e.requests} | ${pairs(e.codes, ': ')} | ${e.errors} | ${ms(e.p50)} | ${ms(e.p95)} | ${ms(e.p99)} | ${ms(e.max)} |`,
    ),
    '',
  ];
}

function errors(r: LoadTestReport): string[] {
  if (!Object.keys(r.errors.byType).length) return [];
  return ['## Errors', '', ...Object.entries(r.errors.byType).map(([k, v]) => `- ${k}: ${v}`), ''];
}

function overTime(r: LoadTestReport): string[] {
  return [
    '## Over time',
    '',
    '| t (s) | turns/s | conversations/s | p50 | p95 | p99 | errors |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...r.timeline.map(
      (p) =>
        `| ${p.t} | ${n1(p.turnsPerSecond)} | ${n1(p.conversationsPerSecond)} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} | ${p.errors} |`,
    ),
    '',
    `Mix: intents ${pairs(r.fallback.intents, ' ')}; locales ${pairs(r.fallback.locales, ' ')}.`,
    '',
  ];
}

export function renderMarkdown(r: LoadTestReport, plan: CapacityPlan = CAPACITY_PLAN): string {
  return [
    ...heading(r),
    ...summary(r),
    ...thresholds(r),
    ...capacity(r, plan),
    ...cost(r),
    ...endpoints(r),
    ...errors(r),
    ...overTime(r),
  ].join('\n');
}

/** The report as markdown: what the pipeline shows the approver. */
import { CAPACITY_PLAN, capacityMarkdownTable, type CapacityPlan } from '../../lib/config/capacity';
import type { LoadTestReport } from './build';

const ms = (v: number | null): string => (v === null ? '-' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);
const n1 = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 1 });

export function renderMarkdown(r: LoadTestReport, plan: CapacityPlan = CAPACITY_PLAN): string {
  const m = r.meta;
  const out: string[] = [];
  out.push(`# Load test: ${m.profile} against ${m.environment} — ${r.passed ? 'PASSED' : 'FAILED'}`);
  out.push('');
  out.push(
    `Target \`${m.target}\` · ${m.workers} load generator${m.workers === 1 ? '' : 's'} · ${m.startedAt ?? '?'} → ${m.endedAt ?? '?'} (${m.durationSeconds} s) · Artillery exit code ${m.artilleryExitCode}`,
  );
  out.push('');
  out.push(`${m.profileDescription}.`);
  out.push('');
  out.push('## Summary');
  out.push('');
  out.push('| measure | value |');
  out.push('|---|---:|');
  out.push(
    `| turns/s while holding (target ${n1(m.targetTurnsPerSecond)}) | **${n1(r.throughput.holdTurnsPerSecond)}** |`,
  );
  out.push(`| conversations/s while holding | ${n1(r.throughput.holdConversationsPerSecond)} |`);
  out.push(
    `| turns/s, conversations/s over the whole run | ${n1(r.throughput.turnsPerSecond)}, ${n1(r.throughput.conversationsPerSecond)} |`,
  );
  out.push(
    `| turns, conversations started / completed | ${r.throughput.turns}, ${r.throughput.conversationsStarted} / ${r.throughput.conversationsCompleted} |`,
  );
  out.push(
    `| latency p50 / p95 / p99 (all requests) | ${ms(r.latency.p50)} / ${ms(r.latency.p95)} / ${ms(r.latency.p99)} |`,
  );
  out.push(`| latency mean / max | ${ms(r.latency.mean)} / ${ms(r.latency.max)} |`);
  out.push(`| error rate (errors per turn) | ${pct(r.errors.errorRate)} (${r.errors.errors}) |`);
  out.push(
    `| failed conversations | ${pct(r.errors.failedConversationRate)} (${r.errors.failedConversations}) |`,
  );
  out.push(`| hostile input refused as expected (4xx, not errors) | ${r.errors.rejectedAsExpected} |`);
  out.push(
    `| fallback rate (FallbackIntent answers) | ${pct(r.fallback.fallbackRate)} (${r.fallback.fallbacks}, ${r.fallback.expectedFallbacks} of them to out-of-domain text) |`,
  );
  out.push(`| unexpected fallback rate (in-domain utterances) | ${pct(r.fallback.unexpectedFallbackRate)} |`);
  out.push(
    `| intent match / slot fill rate | ${pct(r.fallback.intentMatchRate)} / ${pct(r.fallback.slotFillRate)} |`,
  );
  out.push('');
  out.push('## Thresholds');
  out.push('');
  out.push('| result | threshold | measured | rule |');
  out.push('|---|---|---:|---|');
  for (const t of r.thresholds)
    out.push(
      `| ${t.passed ? 'PASS' : '**FAIL**'} | \`${t.expression}\` | ${t.value === null ? 'missing' : n1(t.value)} | ${t.description} |`,
    );
  out.push('');
  out.push('## Capacity verdict');
  out.push('');
  out.push(r.capacity.verdict.summary);
  out.push('');
  out.push(
    `Model: ${r.capacity.model.conversationsPerDay.toLocaleString('en-US')} conversations/day × ${r.capacity.model.turnsPerConversation} turns, ${r.capacity.model.peakFactor}× peak → ${n1(r.capacity.model.peakTurnsPerSecond)} turns/s. Dependencies at that peak (\`npm run capacity\`):`,
  );
  out.push('');
  out.push(capacityMarkdownTable(plan));
  out.push('');
  out.push('## Per endpoint');
  out.push('');
  out.push('| request | count | status codes | errors | p50 | p95 | p99 | max |');
  out.push('|---|---:|---|---:|---:|---:|---:|---:|');
  for (const e of r.endpoints)
    out.push(
      `| ${e.name} | ${e.requests} | ${Object.entries(e.codes)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')} | ${e.errors} | ${ms(e.p50)} | ${ms(e.p95)} | ${ms(e.p99)} | ${ms(e.max)} |`,
    );
  out.push('');
  if (Object.keys(r.errors.byType).length) {
    out.push('## Errors');
    out.push('');
    for (const [k, v] of Object.entries(r.errors.byType)) out.push(`- ${k}: ${v}`);
    out.push('');
  }
  out.push('## Over time');
  out.push('');
  out.push('| t (s) | turns/s | conversations/s | p50 | p95 | p99 | errors |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of r.timeline)
    out.push(
      `| ${p.t} | ${n1(p.turnsPerSecond)} | ${n1(p.conversationsPerSecond)} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} | ${p.errors} |`,
    );
  out.push('');
  out.push(
    `Mix: intents ${Object.entries(r.fallback.intents)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; locales ${Object.entries(r.fallback.locales)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  out.push('');
  return out.join('\n');
}

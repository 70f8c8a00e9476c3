/**
 * The report as one self-contained HTML file: chart.js inlined from node_modules (no network),
 * the two headline verdicts (thresholds; capacity against the model's peak), latency (with the
 * latency thresholds), throughput and errors over time, the thresholds, the capacity verdict with
 * the quota table, the cost summary and the breakdowns; readable on a phone (375 px) too.
 * Owns the HTML rendering, one function per section.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CapacityPlan } from '../../lib/config/capacity/model';
import { CAPACITY_PLAN } from '../../lib/config/capacity/plan';
import type { LoadTestReport } from './build';
import { COST_COMMAND, COST_SUMMARY_ENV, usd, withinBudget } from './cost';
import type { CostEnvironment } from './types';

let chartJs: string | undefined;
/** chart.js's UMD build, read once. */
export function chartJsSource(): string {
  // chart.js's package exports do not list the UMD file: find it next to the CommonJS entry
  chartJs ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
  return chartJs;
}

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
/** JSON safe inside <script>: no `</script>`, no `<!--`. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');
const ms = (v: number | null): string => (v === null ? '-' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);
const n1 = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 1 });
const pairs = (o: Readonly<Record<string, number>>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
/**
 * A table that becomes one card per row on a phone: the first cell is the card's title, each
 * other cell carries its column's name, and the `wide` columns (long text) take the card's width.
 */
function table(
  headers: readonly string[],
  cells: readonly (readonly string[])[],
  opts: { readonly id: string; readonly wide?: readonly number[] },
): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const cell = (x: string, i: number): string =>
    `<td data-label="${esc(headers[i] ?? '')}"${opts.wide?.includes(i) ? ' class="wide"' : ''}>${x}</td>`;
  const body = cells.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n');
  return `<table class="stack" id="${opts.id}"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>`;
}

/** A two-column table of label and value (stays two columns on a phone). */
function keyValues(cells: readonly (readonly [string, string])[]): string {
  return `<table class="kv"><tbody>
${cells.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('\n')}
</tbody></table>`;
}

const GREEN = '#1a7f37';
const RED = '#cf222e';
const AMBER = '#9a3c00';

/**
 * The stylesheet. Verdicts: green PASSED / DEMONSTRATED, red FAILED, amber NOT DEMONSTRATED.
 * Under 640 px tables of many columns become one card per row and nothing is wider than the page.
 */
const STYLE = `<style>
  * { box-sizing: border-box; }
  body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 24px; color: #1d2330; background: #f6f7f9; }
  h1 { font-size: 22px; margin: 0 0 12px; } h2 { font-size: 17px; margin: 28px 0 8px; }
  .meta { color: #57606a; margin: 12px 0 16px; overflow-wrap: anywhere; }
  .verdicts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(360px, 100%), 1fr)); gap: 12px; }
  .verdict-card { background: #fff; border: 2px solid; border-radius: 8px; padding: 12px 14px; min-width: 0; }
  .verdict-card .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; font-weight: 600; }
  .verdict-card .word { display: inline-block; margin: 6px 0; padding: 3px 12px; border-radius: 4px; color: #fff; font-size: 20px; font-weight: 700; }
  .verdict-card p { margin: 4px 0; }
  .pass { border-color: ${GREEN}; } .pass .word { background: ${GREEN}; }
  .fail { border-color: ${RED}; } .fail .word { background: ${RED}; }
  .warn { border-color: ${AMBER}; } .warn .word { background: ${AMBER}; }
  .meter { height: 10px; background: #eaeef2; border-radius: 5px; overflow: hidden; margin: 6px 0; }
  .meter span { display: block; height: 100%; min-width: 2px; }
  .pass .meter span { background: ${GREEN}; } .warn .meter span, .fail .meter span { background: ${AMBER}; }
  pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(150px, 100%), 1fr)); gap: 10px; }
  .tile { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
  .tile b { display: block; font-size: 18px; margin-top: 2px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(360px, 100%), 1fr)); gap: 16px; }
  .chart { position: relative; min-width: 0; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px; height: 300px; }
  table { border-collapse: collapse; background: #fff; width: 100%; }
  th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
  th { background: #eef1f4; } td.num { text-align: right; }
  table.kv th { font-weight: 500; width: 35%; }
  .ok { color: ${GREEN}; font-weight: 600; white-space: nowrap; } .bad { color: ${RED}; font-weight: 600; white-space: nowrap; }
  .summary { background: #fff; border-left: 4px solid #57606a; padding: 10px 14px; }
  code { font-size: 12px; overflow-wrap: anywhere; }
  @media (max-width: 640px) {
    body { margin: 12px; }
    table.stack, table.stack tbody { display: block; width: 100%; background: none; }
    table.stack thead { display: none; }
    table.stack tr { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 4px 12px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin-bottom: 8px; padding: 8px 10px; }
    table.stack td { display: block; border: 0; padding: 0; overflow-wrap: anywhere; }
    table.stack td::before { content: attr(data-label); display: block; font-size: 11px; font-weight: 600; color: #57606a; }
    table.stack td:first-child { grid-column: 1 / -1; font-weight: 600; font-size: 15px; }
    table.stack td:first-child::before { display: none; }
    table.stack td.wide { grid-column: 1 / -1; }
  }
</style>`;

function head(r: LoadTestReport): string {
  const m = r.meta;
  const { thresholds: t, capacity: c } = r.verdicts;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Load test ${esc(m.profile)} / ${esc(m.environment)}: thresholds ${t.word}, capacity ${c.word}</title>
${STYLE}
</head>`;
}

/** The two headline verdicts, side by side (stacked on a phone): colour, symbol and word each. */
function verdicts(r: LoadTestReport): string {
  const { thresholds: t, capacity: c } = r.verdicts;
  const share = Math.min(100, c.shareOfPeak * 100);
  const thresholdsCard = `<div class="verdict-card ${t.passed ? 'pass' : 'fail'}" id="thresholds-verdict" data-verdict="${t.word}">
  <div class="label">Thresholds</div>
  <div class="word"><span aria-hidden="true">${t.passed ? '✔' : '✘'} </span><span id="thresholds-word">${t.word}</span></div>
  <p>${esc(t.detail)}</p>
</div>`;
  const capacityCard = `<div class="verdict-card ${c.demonstrated ? 'pass' : 'warn'}" id="capacity-verdict" data-verdict="${c.word}">
  <div class="label">Capacity for ${esc(c.requirement)}</div>
  <div class="word"><span aria-hidden="true">${c.demonstrated ? '✔' : '✘'} </span><span id="capacity-word">${c.word}</span></div>
  <div class="meter" role="img" aria-label="${(c.shareOfPeak * 100).toFixed(1)}% of the model's peak"><span style="width: ${share.toFixed(2)}%"></span></div>
  <p>${esc(c.detail)}</p>
  ${c.demonstrated ? '' : `<p>To demonstrate it:</p><pre><code id="demonstrate-command">${esc(c.command)}</code></pre>`}
</div>`;
  return `<section class="verdicts" aria-label="verdicts">
${thresholdsCard}
${capacityCard}
</section>`;
}

/** The title, both verdicts, the run's details and the headline figures. */
function heading(r: LoadTestReport): string {
  const m = r.meta;
  const tiles: [string, string][] = [
    ['turns/s (hold)', `${n1(r.throughput.holdTurnsPerSecond)} / ${n1(m.targetTurnsPerSecond)}`],
    ['conversations/s (hold)', n1(r.throughput.holdConversationsPerSecond)],
    [
      'p50 / p95 / p99 (ms)',
      [r.latency.p50, r.latency.p95, r.latency.p99].map(ms).join(' / ').replace(/ ms/g, ''),
    ],
    ['error rate', pct(r.errors.errorRate)],
    ['fallback rate', pct(r.fallback.fallbackRate)],
    ['failed conversations', `${r.errors.failedConversations}`],
  ];
  return `<h1>Load test: ${esc(m.profile)} against ${esc(m.environment)}</h1>
${verdicts(r)}
<div class="meta">Target <code>${esc(m.target)}</code> · ${m.workers} load generator(s) · ${esc(m.startedAt ?? '?')} → ${esc(m.endedAt ?? '?')} (${m.durationSeconds} s) · Artillery exit code ${m.artilleryExitCode}<br>${esc(m.profileDescription)}</div>
<div class="tiles">${tiles.map(([k, v]) => `<div class="tile">${esc(k)}<b>${esc(v)}</b></div>`).join('')}</div>`;
}

const CHARTS = `<h2>Over time</h2>
<div class="charts">
  <div class="chart"><canvas id="latency" aria-label="latency p50, p95, p99 over time, with the latency thresholds"></canvas></div>
  <div class="chart"><canvas id="throughput" aria-label="turns and conversations per second over time"></canvas></div>
  <div class="chart"><canvas id="errors" aria-label="errors and error rate over time"></canvas></div>
</div>`;

function thresholdTable(r: LoadTestReport): string {
  return `<h2>Thresholds</h2>
${table(
  ['result', 'threshold', 'measured', 'rule'],
  r.thresholds.map((t) => [
    t.passed ? '<span class="ok">PASS</span>' : '<span class="bad">FAIL</span>',
    `<code>${esc(t.expression)}</code>`,
    t.value === null ? 'missing' : n1(t.value),
    esc(t.description),
  ]),
  { id: 'thresholds', wide: [1, 3] },
)}`;
}

const num0 = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: v < 100 ? 1 : 0 });

/** The model's dependencies at its peak against their quotas (the markdown's table). */
function quotaTable(plan: CapacityPlan): string {
  return table(
    ['dependency', 'unit', 'peak demand', 'default quota', 'verdict', 'request', 'how it stays inside'],
    plan.dependencies.map((d) => [
      esc(d.dependency),
      esc(d.unit),
      num0(d.demand),
      d.quota === undefined ? '-' : num0(d.quota),
      esc(d.verdict),
      d.requestQuota === undefined ? '-' : num0(d.requestQuota),
      esc(d.note),
    ]),
    { id: 'quotas', wide: [6] },
  );
}

function capacitySection(r: LoadTestReport, plan: CapacityPlan): string {
  const model = r.capacity.model;
  return `<h2>Capacity verdict</h2>
<div class="summary">${esc(r.capacity.verdict.summary)}</div>
<p>Model: ${model.conversationsPerDay.toLocaleString('en-US')} conversations/day × ${model.turnsPerConversation} turns, ${model.peakFactor}× peak → ${n1(model.peakTurnsPerSecond)} turns/s. Dependencies at that peak against their quotas (<code>npm run capacity</code>):</p>
${quotaTable(plan)}`;
}

/** The budget with a green `✔ within` or a red `✘ over` (symbols every font has); `-` without one. */
function budgetHtml(e: CostEnvironment): string {
  const within = withinBudget(e);
  if (within === undefined) return '-';
  return `${usd(e.monthlyBudgetUsd!)} ${within ? '<span class="ok">✔ within</span>' : '<span class="bad">✘ over</span>'}`;
}

/** The cost summary from `npm run cost -- --json`, or how to produce it. */
function costSection(r: LoadTestReport): string {
  const c = r.meta.cost;
  if (!c)
    return `<h2>Cost</h2>
<p id="cost-missing">No cost summary was given. Produce it with <code>${esc(COST_COMMAND)}</code> at the repository root (or pass <code>--cost &lt;file&gt;</code> / <code>${COST_SUMMARY_ENV}</code>), then run the load test again.</p>`;
  return `<h2>Cost</h2>
<p>From <code>npm run cost</code> (${esc(c.generatedAt)}; prices of ${esc(c.pricesDate)}, ${esc(c.region)}):</p>
${table(
  [
    'environment',
    'conversations per day',
    'monthly',
    'per 1,000 conversations',
    'monthly budget',
    'top drivers',
  ],
  c.environments.map((e) => [
    esc(e.name),
    e.conversationsPerDay.toLocaleString('en-US'),
    usd(e.monthlyUsd),
    usd(e.per1000ConversationsUsd),
    budgetHtml(e),
    esc(
      e.topDrivers.map((d) => `${d.name} ${usd(d.monthlyUsd)} (${(d.share * 100).toFixed(0)}%)`).join(', '),
    ),
  ]),
  { id: 'cost', wide: [5] },
)}`;
}

function endpointTable(r: LoadTestReport): string {
  return `<h2>Per endpoint</h2>
${table(
  ['request', 'count', 'status codes', 'errors', 'p50', 'p95', 'p99', 'max'],
  r.endpoints.map((e) => [
    esc(e.name),
    `${e.requests}`,
    esc(pairs(e.codes)),
    `${e.errors}`,
    ms(e.p50),
    ms(e.p95),
    ms(e.p99),
    ms(e.max),
  ]),
  { id: 'endpoints' },
)}`;
}

function errorsTable(r: LoadTestReport): string {
  const { errors: e, fallback: f } = r;
  return `<h2>Errors and fallback</h2>
${keyValues([
  ['errors (per turn)', `${e.errors} (${pct(e.errorRate)})`],
  ['by type', esc(pairs(e.byType) || 'none')],
  ['status codes', esc(pairs(e.statusCodes))],
  ['hostile input refused as expected', `${e.rejectedAsExpected}`],
  [
    'fallback answers',
    `${f.fallbacks} of ${f.answered} (${pct(f.fallbackRate)}); unexpected ${pct(f.unexpectedFallbackRate)}`,
  ],
  ['intent match / slot fill', `${pct(f.intentMatchRate)} / ${pct(f.slotFillRate)}`],
  ['intents', esc(pairs(f.intents))],
  ['locales', esc(pairs(f.locales))],
])}`;
}

/** A horizontal line the latency chart draws: a latency threshold's maximum. */
export interface LatencyLine {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

const PERCENTILE_COLORS: Readonly<Record<string, string>> = {
  p50: '#0969da',
  median: '#0969da',
  p95: '#bf8700',
  p99: RED,
};

/** The run's latency thresholds (`http.response_time.<stat> <= max`) as lines for the chart. */
export function latencyThresholdLines(r: LoadTestReport): LatencyLine[] {
  return r.thresholds.flatMap((t): LatencyLine[] => {
    const m = /^http\.response_time\.(\w+)$/.exec(t.metric);
    if (!m || t.max === undefined || t.per !== undefined) return [];
    return [
      {
        label: `${m[1]} threshold (${t.max} ms)`,
        value: t.max,
        color: PERCENTILE_COLORS[m[1]!] ?? '#57606a',
      },
    ];
  });
}

/** chart.js, and the three charts drawn from the timeline (the page sets data-charts="ready"). */
function chartScripts(r: LoadTestReport): string {
  const m = r.meta;
  return `<script>${chartJsSource()}</script>
<script>
(function () {
  var report = ${scriptJson({ timeline: r.timeline, target: m.targetTurnsPerSecond, latencyLines: latencyThresholdLines(r), errors: r.errors.errors })};
  var labels = report.timeline.map(function (p) { return p.t + ' s'; });
  function options(title, scales) {
    return { responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, pointStyle: 'line' } }, title: { display: true, text: title } },
      scales: scales };
  }
  function line(label, data, color, dash) {
    return { type: 'line', label: label, data: data, borderColor: color, backgroundColor: color, borderDash: dash || [], tension: 0.2, pointRadius: dash ? 0 : 2 };
  }
  function series(f) { return report.timeline.map(f); }
  function positive(v) { return v > 0 ? v : null; }
  var latency = [
    line('p50 (ms)', series(function (p) { return positive(p.p50); }), '#0969da'),
    line('p95 (ms)', series(function (p) { return positive(p.p95); }), '#bf8700'),
    line('p99 (ms)', series(function (p) { return positive(p.p99); }), '#cf222e')
  ].concat(report.latencyLines.map(function (l) {
    return line(l.label, series(function () { return l.value; }), l.color, [6, 4]);
  }));
  window.charts = [
    new Chart(document.getElementById('latency'), { type: 'line', data: { labels: labels, datasets: latency },
      options: options('Latency over time (all requests), thresholds dashed', { y: { type: 'logarithmic', title: { display: true, text: 'ms (log scale)' } } }) }),
    new Chart(document.getElementById('throughput'), { type: 'line', data: { labels: labels, datasets: [
      line('turns/s', series(function (p) { return p.turnsPerSecond; }), '#1a7f37'),
      line('conversations/s', series(function (p) { return p.conversationsPerSecond; }), '#8250df'),
      line('target turns/s', series(function () { return report.target; }), '#57606a', [6, 4])
    ] }, options: options('Throughput over time', { y: { beginAtZero: true, title: { display: true, text: 'per second' } } }) }),
    new Chart(document.getElementById('errors'), { type: 'bar', data: { labels: labels, datasets: [
      { type: 'bar', label: 'errors', data: series(function (p) { return p.errors; }), backgroundColor: '#cf222e', borderColor: '#cf222e', yAxisID: 'y' },
      Object.assign(line('errors per turn (%)', series(function (p) { return p.errorRate * 100; }), '#8c959f'), { yAxisID: 'y1' })
    ] }, options: options('Errors over time: ' + report.errors + ' in all', {
      y: { beginAtZero: true, suggestedMax: 1, ticks: { precision: 0 }, title: { display: true, text: 'errors' } },
      y1: { position: 'right', beginAtZero: true, suggestedMax: 1, grid: { drawOnChartArea: false }, title: { display: true, text: '% of turns' } }
    }) })
  ];
  document.body.setAttribute('data-charts', 'ready');
})();
</script>`;
}

export function renderHtml(r: LoadTestReport, plan: CapacityPlan = CAPACITY_PLAN): string {
  return [
    head(r),
    '<body>',
    heading(r),
    '',
    CHARTS,
    '',
    thresholdTable(r),
    '',
    capacitySection(r, plan),
    '',
    costSection(r),
    '',
    endpointTable(r),
    '',
    errorsTable(r),
    '',
    chartScripts(r),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

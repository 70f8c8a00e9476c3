/**
 * The report as one self-contained HTML file: chart.js inlined from node_modules (no network),
 * latency and throughput over time, the thresholds, the capacity verdict and the breakdowns.
 * Owns the HTML rendering, one function per section.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LoadTestReport } from './build';

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
const rows = (cells: string[][]): string =>
  cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('\n');

/** The stylesheet; the verdict's border is green when the target held, red otherwise. */
function style(targetHeld: boolean): string {
  return `<style>
  body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 24px; color: #1d2330; background: #f6f7f9; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
  .status { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff; font-weight: 600; }
  .pass { background: #1a7f37; } .fail { background: #cf222e; }
  .meta { color: #57606a; margin-bottom: 16px; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; }
  .tile { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
  .tile b { display: block; font-size: 18px; margin-top: 2px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; }
  .chart { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px; height: 300px; }
  table { border-collapse: collapse; background: #fff; width: 100%; }
  th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
  th { background: #eef1f4; } td.num { text-align: right; }
  .ok { color: #1a7f37; font-weight: 600; } .bad { color: #cf222e; font-weight: 600; }
  .verdict { background: #fff; border-left: 4px solid ${targetHeld ? '#1a7f37' : '#cf222e'}; padding: 10px 14px; }
  code { font-size: 12px; }
</style>`;
}

function head(r: LoadTestReport): string {
  const m = r.meta;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Load test ${esc(m.profile)} / ${esc(m.environment)}: ${r.passed ? 'PASSED' : 'FAILED'}</title>
${style(r.capacity.verdict.targetHeld)}
</head>`;
}

/** The title with the pass/fail badge, the run's details and the headline figures. */
function heading(r: LoadTestReport): string {
  const m = r.meta;
  const status = r.passed ? 'PASSED' : 'FAILED';
  const tiles: [string, string][] = [
    ['turns/s (hold)', `${n1(r.throughput.holdTurnsPerSecond)} / ${n1(m.targetTurnsPerSecond)}`],
    ['conversations/s (hold)', n1(r.throughput.holdConversationsPerSecond)],
    ['p50 / p95 / p99', `${ms(r.latency.p50)} / ${ms(r.latency.p95)} / ${ms(r.latency.p99)}`],
    ['error rate', pct(r.errors.errorRate)],
    ['fallback rate', pct(r.fallback.fallbackRate)],
    ['failed conversations', `${r.errors.failedConversations}`],
  ];
  return `<h1>Load test: ${esc(m.profile)} against ${esc(m.environment)} <span class="status ${r.passed ? 'pass' : 'fail'}" id="status">${status}</span></h1>
<div class="meta">Target <code>${esc(m.target)}</code> · ${m.workers} load generator(s) · ${esc(m.startedAt ?? '?')} → ${esc(m.endedAt ?? '?')} (${m.durationSeconds} s) · Artillery exit code ${m.artilleryExitCode}<br>${esc(m.profileDescription)}</div>
<div class="tiles">${tiles.map(([k, v]) => `<div class="tile">${esc(k)}<b>${esc(v)}</b></div>`).join('')}</div>`;
}

const CHARTS = `<h2>Over time</h2>
<div class="charts">
  <div class="chart"><canvas id="latency" aria-label="latency p50, p95, p99 over time"></canvas></div>
  <div class="chart"><canvas id="throughput" aria-label="turns and conversations per second over time"></canvas></div>
</div>`;

function thresholdTable(r: LoadTestReport): string {
  return `<h2>Thresholds</h2>
<table><thead><tr><th>result</th><th>threshold</th><th>measured</th><th>rule</th></tr></thead><tbody>
${rows(r.thresholds.map((t) => [t.passed ? '<span class="ok">PASS</span>' : '<span class="bad">FAIL</span>', `<code>${esc(t.expression)}</code>`, t.value === null ? 'missing' : n1(t.value), esc(t.description)]))}
</tbody></table>`;
}

function verdict(r: LoadTestReport): string {
  return `<h2>Capacity verdict</h2>
<div class="verdict">${esc(r.capacity.verdict.summary)}</div>`;
}

function endpointTable(r: LoadTestReport): string {
  const cells = r.endpoints.map((e) => [
    esc(e.name),
    `${e.requests}`,
    esc(pairs(e.codes)),
    `${e.errors}`,
    ms(e.p50),
    ms(e.p95),
    ms(e.p99),
    ms(e.max),
  ]);
  return `<h2>Per endpoint</h2>
<table><thead><tr><th>request</th><th>count</th><th>status codes</th><th>errors</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead><tbody>
${rows(cells)}
</tbody></table>`;
}

function errorsTable(r: LoadTestReport): string {
  const { errors: e, fallback: f } = r;
  return `<h2>Errors and fallback</h2>
<table><tbody>
${rows([
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
])}
</tbody></table>`;
}

/** chart.js, and the two charts drawn from the timeline (the page sets data-charts="ready"). */
function chartScripts(r: LoadTestReport): string {
  const m = r.meta;
  return `<script>${chartJsSource()}</script>
<script>
(function () {
  var report = ${scriptJson({ timeline: r.timeline, target: m.targetTurnsPerSecond })};
  var labels = report.timeline.map(function (p) { return p.t + ' s'; });
  var common = { responsive: true, maintainAspectRatio: false, animation: false,
    interaction: { mode: 'index', intersect: false }, plugins: { legend: { position: 'bottom' } } };
  function line(label, data, color, dash) {
    return { label: label, data: data, borderColor: color, backgroundColor: color, borderDash: dash || [], tension: 0.2, pointRadius: 2 };
  }
  window.charts = [
    new Chart(document.getElementById('latency'), { type: 'line', data: { labels: labels, datasets: [
      line('p50 (ms)', report.timeline.map(function (p) { return p.p50; }), '#0969da'),
      line('p95 (ms)', report.timeline.map(function (p) { return p.p95; }), '#bf8700'),
      line('p99 (ms)', report.timeline.map(function (p) { return p.p99; }), '#cf222e')
    ] }, options: Object.assign({}, common, { plugins: { legend: { position: 'bottom' }, title: { display: true, text: 'Latency over time (all requests)' } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } } } }) }),
    new Chart(document.getElementById('throughput'), { type: 'line', data: { labels: labels, datasets: [
      line('turns/s', report.timeline.map(function (p) { return p.turnsPerSecond; }), '#1a7f37'),
      line('conversations/s', report.timeline.map(function (p) { return p.conversationsPerSecond; }), '#8250df'),
      line('target turns/s', report.timeline.map(function () { return report.target; }), '#57606a', [6, 4])
    ] }, options: Object.assign({}, common, { plugins: { legend: { position: 'bottom' }, title: { display: true, text: 'Throughput over time' } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'per second' } } } }) })
  ];
  document.body.setAttribute('data-charts', 'ready');
})();
</script>`;
}

export function renderHtml(r: LoadTestReport): string {
  return [
    head(r),
    '<body>',
    heading(r),
    '',
    CHARTS,
    '',
    thresholdTable(r),
    '',
    verdict(r),
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

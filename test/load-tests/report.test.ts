/**
 * The report, built from a recorded Artillery --output JSON (a real local capacity run:
 * test/fixtures/load-tests/capacity-local.artillery.json), written as json/html/md: the two
 * headline verdicts apart, the quota table and the cost summary in both, the errors chart and the
 * latency threshold lines; the HTML opened in headless Chromium with its charts drawn, at desktop
 * width and at 375 px (a phone) without horizontal overflow.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { profileFor, thresholdsFor, type Threshold } from '../../load-tests/profiles';
import { readArtilleryOutput, writeReport } from '../../load-tests/report';
import { buildReport, evaluateThreshold, type ReportMeta } from '../../load-tests/report/build';
import { renderHtml, latencyThresholdLines } from '../../load-tests/report/render-html';
import { renderMarkdown } from '../../load-tests/report/render-markdown';
import { CAPACITY_PLAN } from '../../lib/config/capacity/plan';
import { mergePeriods, periodsInOrder } from '../../load-tests/report/periods';
import type { ArtilleryOutput, ArtilleryPeriod, CostSummary } from '../../load-tests/report/types';

const FIXTURE = join(__dirname, '..', 'fixtures', 'load-tests', 'capacity-local.artillery.json');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const output = readArtilleryOutput(FIXTURE);
const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ArtilleryOutput;
const profile = profileFor('capacity', 'local', { turnsPerSecond: 40 });
const meta: ReportMeta = {
  profile,
  environment: 'local' as const,
  target: 'http://127.0.0.1:44701',
  thresholds: thresholdsFor(profile, 'local'),
  workers: 1,
  artilleryExitCode: 0,
};

describe('GIVEN a recorded local capacity run', () => {
  const report = buildReport(output, meta);
  const c = raw.aggregate.counters;
  const seconds = (raw.aggregate.lastMetricAt! - raw.aggregate.firstMetricAt!) / 1000;

  test('WHEN reported THEN throughput counts turns and conversations over the run, and while holding', () => {
    expect(report.throughput.turns).toBe(c['conversation.turns']);
    expect(report.throughput.conversationsStarted).toBe(c['conversation.started']);
    expect(report.throughput.turnsPerSecond).toBeCloseTo(c['conversation.turns']! / seconds, 6);
    // the hold phase ran at ~40 turns/s (the fixture's own periods say so), the ramp below it
    expect(report.throughput.holdPeriods).toBeGreaterThanOrEqual(3);
    expect(report.throughput.holdTurnsPerSecond).toBeGreaterThan(report.throughput.turnsPerSecond);
    expect(report.throughput.holdTurnsPerSecond).toBeGreaterThan(35);
  });

  test('WHEN reported THEN latency is p50/p95/p99 overall and per period, without slivers of windows', () => {
    const rt = raw.aggregate.summaries['http.response_time']!;
    expect(report.latency).toMatchObject({ p50: rt.p50, p95: rt.p95, p99: rt.p99 });
    expect(report.timeline.length).toBeGreaterThanOrEqual(5);
    expect(report.timeline.every((p) => p.widthSeconds >= 1)).toBe(true);
    const totalTurns = periodsInOrder(raw).reduce((n, p) => n + (p.counters['conversation.turns'] ?? 0), 0);
    expect(totalTurns).toBe(c['conversation.turns']); // the periods add up to the aggregate
  });

  test('WHEN reported THEN errors, expected 400s and fallback rates come from the processor counters', () => {
    expect(report.errors.errors).toBe(0);
    expect(report.errors.errorRate).toBe(0);
    expect(report.errors.rejectedAsExpected).toBe(c['conversation.rejected_as_expected']);
    expect(report.errors.statusCodes['400']).toBe(c['http.codes.400']);
    expect(report.fallback.fallbackRate).toBeCloseTo(
      c['conversation.fallback']! / c['conversation.answered']!,
      9,
    );
    expect(Object.keys(report.fallback.intents).sort()).toEqual([
      'CheckOrderStatus',
      'FallbackIntent',
      'Goodbye',
      'Greeting',
      'ProductInfo',
      'ReportIssue',
      'TalkToAgent',
    ]);
    expect(Object.keys(report.fallback.locales).sort()).toEqual(['en_US', 'es_US']);
  });

  test('WHEN reported THEN it breaks down per endpoint from metrics-by-endpoint', () => {
    const names = report.endpoints.map((e) => e.name);
    expect(names).toEqual([
      'health',
      'messages-fallback',
      'messages-hostile',
      'messages-slot',
      'messages-utterance',
    ]);
    const hostile = report.endpoints.find((e) => e.name === 'messages-hostile')!;
    expect(hostile.codes['400']).toBe(c['plugins.metrics-by-endpoint.messages-hostile.codes.400']);
    expect(report.endpoints.reduce((n, e) => n + e.requests, 0)).toBe(c['http.requests']);
  });

  test('WHEN its thresholds are evaluated THEN they pass, and the same run fails an impossible one', () => {
    expect(report.thresholds.map((t) => t.passed)).toEqual([true, true, true, true]);
    expect(report.passed).toBe(true);
    const impossible: Threshold = { metric: 'http.response_time.p99', max: 1, description: 'impossible' };
    const failed = buildReport(output, { ...meta, thresholds: [...meta.thresholds, impossible] });
    expect(failed.passed).toBe(false);
    expect(failed.thresholds.at(-1)).toMatchObject({
      passed: false,
      value: raw.aggregate.summaries['http.response_time']!.p99,
    });
    // Artillery's own exit code fails the report too
    expect(buildReport(output, { ...meta, artilleryExitCode: 1 }).passed).toBe(false);
  });

  test('WHEN a threshold is evaluated THEN a metric that is missing is a failure, a counter that never moved is 0', () => {
    expect(
      evaluateThreshold(raw.aggregate, { metric: 'no.such.rate', min: 1, description: '' }),
    ).toMatchObject({
      passed: false,
      value: null,
    });
    expect(
      evaluateThreshold(raw.aggregate, { metric: 'errors.ETIMEDOUT', max: 0, description: '' }).passed,
    ).toBe(true);
  });

  test('WHEN reported THEN the capacity verdict is: target held, extrapolated to conversations/day against the model', () => {
    const v = report.capacity.verdict;
    expect(v.targetHeld).toBe(true);
    // turns/s / 3 / 6 x 86,400
    expect(v.extrapolatedConversationsPerDay).toBeCloseTo(
      (report.throughput.holdTurnsPerSecond / 18) * 86_400,
      3,
    );
    expect(v.summary).toMatch(/carries [\d,]+ conversations\/day/);
  });
});

describe('distributed runs', () => {
  test('GIVEN periods of the same window from several workers WHEN merged THEN counts add, extremes hold', () => {
    const a: ArtilleryPeriod = {
      counters: { 'conversation.turns': 10 },
      rates: {},
      summaries: {
        'http.response_time': { min: 5, max: 50, count: 10, mean: 20, p50: 15, p95: 40, p99: 50 },
      },
      period: 1000,
      firstMetricAt: 1000,
      lastMetricAt: 9000,
    };
    const b: ArtilleryPeriod = {
      counters: { 'conversation.turns': 30 },
      rates: {},
      summaries: {
        'http.response_time': { min: 2, max: 90, count: 30, mean: 40, p50: 35, p95: 80, p99: 90 },
      },
      period: 1000,
      firstMetricAt: 500,
      lastMetricAt: 9500,
    };
    const m = mergePeriods([a, b]);
    expect(m.counters['conversation.turns']).toBe(40);
    expect(m.summaries['http.response_time']).toMatchObject({ min: 2, max: 90, count: 40, mean: 35 });
    expect(m.firstMetricAt).toBe(500);
    expect(periodsInOrder({ aggregate: a, intermediate: [b, a] })).toHaveLength(1);
  });
});

describe('report files', () => {
  let dir: string;
  let browser: Browser | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'loadtest-report-'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN a report WHEN written THEN json, html and md are written as <profile>-<timestamp>', () => {
    const written = writeReport(output, meta, { outDir: dir, now: new Date('2026-11-23T18:09:45.123Z') });
    expect(written.files.md).toBe(join(dir, 'capacity-2026-11-23T18-09-45Z.md'));
    for (const f of Object.values(written.files)) expect(existsSync(f)).toBe(true);
    expect(JSON.parse(readFileSync(written.files.json, 'utf8')).passed).toBe(true);
    const md = readFileSync(written.files.md, 'utf8');
    expect(md).toMatch(
      /^# Load test: capacity against local\n\n\*\*Thresholds: ✅ PASSED\*\* — 4 of 4 thresholds passed\.\n/,
    );
    expect(md).toMatch(
      /\n\*\*Capacity for 10,000,000 conversations\/day: ⚠️ NOT DEMONSTRATED\*\* — This run held /,
    );
    expect(md).toMatch(/\| PASS \| `http.response_time.p99 <= 2000` \|/);
    expect(md).toMatch(/## Capacity verdict/);
    const html = readFileSync(written.files.html, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // nothing fetched: it opens as a file
  });

  test('GIVEN the HTML report WHEN opened in headless Chromium THEN it renders with both charts drawn', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    const written = writeReport(output, meta, { outDir: dir, now: new Date('2026-11-23T18:10:00Z') });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${written.files.html}`);
    await page.waitForSelector('body[data-charts="ready"]', { timeout: 10_000 });
    // a drawn canvas has opaque pixels; count them in each chart
    const drawn = await page.evaluate(() =>
      ['latency', 'throughput', 'errors'].map((id) => {
        const canvas = document.getElementById(id) as HTMLCanvasElement;
        const ctx = canvas.getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let opaque = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
        return { id, width: canvas.width, opaque };
      }),
    );
    await page.screenshot({ path: join(tmpdir(), 'loadtest-report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    for (const chart of drawn) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.opaque).toBeGreaterThan(1000);
    }
    expect(await page.locator('#thresholds-word').textContent()).toBe('PASSED');
    expect(await page.locator('#capacity-word').textContent()).toBe('NOT DEMONSTRATED');
  });
});

const COST: CostSummary = {
  generatedAt: '2026-12-01T00:00:00Z',
  pricesDate: '2026-11-30',
  region: 'us-east-1',
  environments: [
    {
      name: 'dev',
      conversationsPerDay: 1000,
      monthlyUsd: 412.5,
      per1000ConversationsUsd: 13.75,
      monthlyBudgetUsd: 500,
      withinBudget: true,
      topDrivers: [{ name: 'ElastiCache node-hours', monthlyUsd: 190.1, share: 0.46 }],
    },
    {
      name: 'prod',
      conversationsPerDay: 10_000_000,
      monthlyUsd: 2_345_678,
      per1000ConversationsUsd: 7.82,
      monthlyBudgetUsd: 2_000_000,
      withinBudget: false,
      topDrivers: [
        { name: 'Lex text requests', monthlyUsd: 1_368_750, share: 0.58 },
        { name: 'Lambda GB-seconds', monthlyUsd: 301_000, share: 0.13 },
      ],
    },
  ],
};

describe('the headline verdicts and the sections', () => {
  const report = buildReport(output, meta);

  test('GIVEN a run that passed its thresholds below the peak WHEN reported THEN two separate verdicts: PASSED and NOT DEMONSTRATED', () => {
    expect(report.verdicts.thresholds).toMatchObject({ passed: true, word: 'PASSED' });
    expect(report.verdicts.capacity).toMatchObject({ demonstrated: false, word: 'NOT DEMONSTRATED' });
    expect(report.verdicts.capacity.shareOfPeak).toBeCloseTo(
      report.throughput.holdTurnsPerSecond / CAPACITY_PLAN.peakTurnsPerSecond,
      9,
    );
    const html = renderHtml(report);
    // each verdict its own badge (colour class, symbol, word); the title carries no lone PASSED
    expect(html).toMatch(
      /<div class="verdict-card pass" id="thresholds-verdict" data-verdict="PASSED">[\s\S]*?<span id="thresholds-word">PASSED<\/span>/,
    );
    expect(html).toMatch(
      /<div class="verdict-card warn" id="capacity-verdict" data-verdict="NOT DEMONSTRATED">[\s\S]*?<span id="capacity-word">NOT DEMONSTRATED<\/span>[\s\S]*?--profile capacity --env staging --distributed 10<\/code>/,
    );
    expect(html).toMatch(/<h1>Load test: capacity against local<\/h1>/);
    expect(html).toContain(
      '<title>Load test capacity / local: thresholds PASSED, capacity NOT DEMONSTRATED</title>',
    );
  });

  test('GIVEN a failed threshold WHEN reported THEN FAILED in red next to the capacity verdict', () => {
    const impossible: Threshold = { metric: 'http.response_time.p99', max: 1, description: 'impossible' };
    const failed = buildReport(output, { ...meta, thresholds: [...meta.thresholds, impossible] });
    const html = renderHtml(failed);
    expect(html).toMatch(/<div class="verdict-card fail" id="thresholds-verdict" data-verdict="FAILED">/);
    expect(html).toMatch(/1 of 5 thresholds failed: http\.response_time\.p99 &lt;= 1 \(measured [\d.]+\)/);
    expect(renderMarkdown(failed)).toMatch(/^\*\*Thresholds: ❌ FAILED\*\* — 1 of 5 thresholds failed/m);
  });

  test('GIVEN the report WHEN rendered as HTML THEN it has the quota table of the markdown, row for row', () => {
    const html = renderHtml(report);
    const md = renderMarkdown(report);
    const quotas = /<table class="stack" id="quotas">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    expect(CAPACITY_PLAN.dependencies.length).toBeGreaterThan(5);
    for (const d of CAPACITY_PLAN.dependencies) {
      expect(quotas).toContain(`<td data-label="dependency">${d.dependency}</td>`);
      expect(md).toContain(`| ${d.dependency} | ${d.unit} |`);
    }
    expect(quotas.match(/<tr>/g)).toHaveLength(CAPACITY_PLAN.dependencies.length + 1);
  });

  test('GIVEN no cost summary WHEN rendered THEN both say how to produce one', () => {
    expect(renderHtml(report)).toMatch(
      /<p id="cost-missing">No cost summary was given\. Produce it with <code>npm run cost<\/code>/,
    );
    expect(renderMarkdown(report)).toContain(
      '## Cost\n\nNo cost summary was given. Produce it with `npm run cost`',
    );
  });

  test('GIVEN a cost summary WHEN rendered THEN both show each environment: monthly, per 1,000 conversations, budget, top drivers', () => {
    const costed = buildReport(output, { ...meta, cost: COST });
    expect(costed.meta.cost).toEqual(COST);
    const md = renderMarkdown(costed);
    expect(md).toContain('From `npm run cost` (2026-12-01T00:00:00Z; prices of 2026-11-30, us-east-1):');
    expect(md).toContain(
      '| dev | 1,000 | $413 | $13.75 | $500 ✅ within | ElastiCache node-hours $190 (46%) |',
    );
    expect(md).toContain(
      '| prod | 10,000,000 | $2,345,678 | $7.82 | $2,000,000 ❌ over | Lex text requests $1,368,750 (58%), Lambda GB-seconds $301,000 (13%) |',
    );
    const html = renderHtml(costed);
    const table = /<table class="stack" id="cost">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    expect(table).toContain('<td data-label="per 1,000 conversations">$7.82</td>');
    expect(table).toContain(
      '<td data-label="monthly budget">$2,000,000 <span class="bad">✘ over</span></td>',
    );
    expect(table).toContain('<td data-label="monthly budget">$500 <span class="ok">✔ within</span></td>');
    expect(table).toContain('Lex text requests $1,368,750 (58%)');
    expect(html).not.toContain('cost-missing');
  });

  test("GIVEN the run's latency thresholds WHEN charted THEN each p95/p99 maximum is a line on the latency chart", () => {
    expect(latencyThresholdLines(report)).toEqual([
      { label: 'p95 threshold (1000 ms)', value: 1000, color: '#bf8700' },
      { label: 'p99 threshold (2000 ms)', value: 2000, color: '#cf222e' },
    ]);
    expect(renderHtml(report)).toContain('"latencyLines":[{"label":"p95 threshold (1000 ms)","value":1000');
  });

  test('GIVEN errors in one period WHEN reported THEN the timeline (the errors chart) has them in that period, with the rate per turn', () => {
    const periods = output.intermediate.map((p, i) =>
      i === 2
        ? { ...p, counters: { ...p.counters, 'errors.ETIMEDOUT': 4, 'errors.unexpected_status_503': 2 } }
        : p,
    );
    const withErrors = buildReport({ ...output, intermediate: periods }, meta);
    const hit = withErrors.timeline.filter((p) => p.errors > 0);
    expect(hit).toHaveLength(1);
    expect(hit[0]!.errors).toBe(6);
    expect(hit[0]!.errorRate).toBeCloseTo(6 / (hit[0]!.turnsPerSecond * hit[0]!.widthSeconds), 9);
    expect(renderHtml(withErrors)).toContain('<canvas id="errors"');
  });
});

describe('the HTML report in Chromium at a phone and a desktop width', () => {
  let dir: string;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    dir = mkdtempSync(join(tmpdir(), 'loadtest-report-widths-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    [375, 'a phone', 'none'],
    [1280, 'a desktop', 'table-header-group'],
  ])(
    'GIVEN a report with its cost summary WHEN opened %i px wide (%s) THEN nothing overflows the page sideways',
    async (width, _what, theadDisplay) => {
      const written = writeReport(
        output,
        { ...meta, cost: COST },
        { outDir: dir, now: new Date(Date.UTC(2026, 11, 1, 0, 0, width % 60)) },
      );
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.goto(`file://${written.files.html}`);
      await page.waitForSelector('body[data-charts="ready"]', { timeout: 10_000 });
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        thead: getComputedStyle(document.querySelector('#endpoints thead')!).display,
        latencyDatasets: (
          window as unknown as { charts: { data: { datasets: { label: string }[] } }[] }
        ).charts[0]!.data.datasets.map((d) => d.label),
        widest: Math.max(
          ...Array.from(document.querySelectorAll('body *'), (e) => e.getBoundingClientRect().right),
        ),
      }));
      await page.screenshot({ path: join(tmpdir(), `loadtest-report-${width}.png`), fullPage: true });
      await page.close();
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(layout.widest).toBeLessThanOrEqual(width);
      // a phone gets one card per endpoint, a desktop the table
      expect(layout.thead).toBe(theadDisplay);
      expect(layout.latencyDatasets).toEqual(
        expect.arrayContaining(['p99 (ms)', 'p95 threshold (1000 ms)', 'p99 threshold (2000 ms)']),
      );
    },
  );
});

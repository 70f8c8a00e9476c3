/**
 * The report, built from a recorded Artillery --output JSON (a real local capacity run:
 * test/fixtures/load-tests/capacity-local.artillery.json), written as json/html/md, and the HTML
 * opened in headless Chromium with its charts drawn.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { profileFor, thresholdsFor, type Threshold } from '../../load-tests/profiles';
import { readArtilleryOutput, writeReport } from '../../load-tests/report';
import { buildReport, evaluateThreshold } from '../../load-tests/report/build';
import { mergePeriods, periodsInOrder } from '../../load-tests/report/periods';
import type { ArtilleryOutput, ArtilleryPeriod } from '../../load-tests/report/types';

const FIXTURE = join(__dirname, '..', 'fixtures', 'load-tests', 'capacity-local.artillery.json');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const output = readArtilleryOutput(FIXTURE);
const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ArtilleryOutput;
const profile = profileFor('capacity', 'local', { turnsPerSecond: 40 });
const meta = {
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
    expect(md).toMatch(/^# Load test: capacity against local — PASSED/);
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
      ['latency', 'throughput'].map((id) => {
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
    expect(await page.locator('#status').textContent()).toBe('PASSED');
  });
});

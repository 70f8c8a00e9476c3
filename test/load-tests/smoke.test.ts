/**
 * The real thing, as CI runs it: Artillery (the load-tests workspace's, installed by the root
 * `npm ci`) runs the smoke profile against a local platform started here, and
 * writes the three report files; at the same time a second run with an impossible threshold
 * must fail with a non-zero exit code. ~35 s.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';
import { ARTILLERY_BIN, parseArgs, runLoadTest } from '../../load-tests/run';

let platform: LocalPlatform;
let dir: string;

beforeAll(async () => {
  if (!existsSync(ARTILLERY_BIN))
    throw new Error(
      'Artillery is not installed: run `npm ci` at the repository root (it installs load-tests/ too)',
    );
  dir = mkdtempSync(join(tmpdir(), 'loadtest-smoke-'));
  platform = await startLocalPlatform({
    port: 0,
    quiet: true,
    dataDir: join(dir, 'data'),
    sessions: 'memory',
  });
});

afterAll(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('GIVEN the local platform WHEN the smoke profile runs THEN it passes, and an impossible threshold fails the run', async () => {
  // GIVEN the local platform, WHEN the smoke profile runs twice at once: as CI runs it, and with
  // a p99 threshold of 1 ms that no HTTP round trip meets (its expected complaints captured here)
  const stderr: string[] = [];
  const errors = jest.spyOn(console, 'error').mockImplementation((line) => void stderr.push(String(line)));
  const [smoke, impossible] = await Promise.all([
    runLoadTest(
      parseArgs(['--target', platform.url, '--profile', 'smoke', '--out', join(dir, 'smoke'), '--quiet']),
    ),
    runLoadTest(
      parseArgs([
        '--target',
        platform.url,
        '--profile',
        'smoke',
        '--out',
        join(dir, 'impossible'),
        '--threshold',
        'http.response_time.p99<=1',
        '--quiet',
      ]),
    ),
  ]).finally(() => errors.mockRestore());

  // THEN only the impossible run complains on stderr, saying why (as would a failing smoke run)
  expect(stderr).toEqual([
    expect.stringMatching(/^threshold failed: http\.response_time\.p99 <= 1 \(measured [\d.]+\)$/),
    `artillery exited with ${impossible.artilleryExitCode}`,
  ]);

  // AND the smoke run passes, with conversations answered and hostile input refused
  expect(smoke.artilleryExitCode).toBe(0);
  expect(smoke.exitCode).toBe(0);
  const report = smoke.written!.report;
  expect(report.thresholds.every((t) => t.passed)).toBe(true);
  expect(report.throughput.turns).toBeGreaterThan(100);
  expect(report.errors.errors).toBe(0);
  expect(report.throughput.conversationsCompleted).toBe(report.throughput.conversationsStarted);
  expect(Object.keys(report.fallback.locales).sort()).toEqual(['en_US', 'es_US']);
  for (const f of Object.values(smoke.written!.files)) expect(existsSync(f)).toBe(true);
  const md = readFileSync(smoke.written!.files.md, 'utf8');
  expect(md).toMatch(/^# Load test: smoke against local\n\n\*\*Thresholds: ✅ PASSED\*\*/);
  // a local smoke run cannot show the 10M/day peak: its capacity verdict says so, apart
  expect(md).toMatch(/\*\*Capacity for 10,000,000 conversations\/day: ⚠️ NOT DEMONSTRATED\*\*/);

  // AND the impossible threshold fails it: Artillery's ensure exit code and the report agree
  expect(impossible.artilleryExitCode).not.toBe(0);
  expect(impossible.exitCode).toBe(1);
  const failed = impossible.written!.report.thresholds.filter((t) => !t.passed);
  expect(failed.map((t) => t.expression)).toEqual(['http.response_time.p99 <= 1']);
  expect(readFileSync(impossible.written!.files.md, 'utf8')).toMatch(/\*\*Thresholds: ❌ FAILED\*\*/);
}, 120_000);

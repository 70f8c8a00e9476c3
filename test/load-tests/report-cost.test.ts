/**
 * The cost summary the load-test report shows (load-tests/report/cost.ts) and the options that
 * name it and switch Artillery's own output on (load-tests/run.ts): which file is read, a bad field
 * named, the default file skipped with a warning when broken, --cost/--verbose/--quiet.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costSummaryFile, parseCostSummary, readCostSummary } from '../../load-tests/report/cost';
import { loadCostSummary, parseArgs, verdictLines } from '../../load-tests/run';
import type { LoadTestReport } from '../../load-tests/report/build';

const SUMMARY = {
  generatedAt: '2026-12-01T00:00:00Z',
  pricesDate: '2026-11-30',
  region: 'us-east-1',
  environments: [
    {
      name: 'prod',
      conversationsPerDay: 10_000_000,
      monthlyUsd: 2_000_000,
      per1000ConversationsUsd: 6.67,
      topDrivers: [{ name: 'Lex text requests', monthlyUsd: 1_368_750, share: 0.68 }],
    },
  ],
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loadtest-cost-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('which cost summary file', () => {
  test('GIVEN --cost, COST_SUMMARY_FILE and a cost-report.json WHEN chosen THEN --cost, then the variable, then the default', () => {
    writeFileSync(join(dir, 'cost-report.json'), '{}');
    expect(costSummaryFile('/x/a.json', dir, { COST_SUMMARY_FILE: '/x/b.json' })).toBe('/x/a.json');
    expect(costSummaryFile(undefined, dir, { COST_SUMMARY_FILE: '/x/b.json' })).toBe('/x/b.json');
    expect(costSummaryFile(undefined, dir, {})).toBe(join(dir, 'cost-report.json'));
  });

  test('GIVEN none of them WHEN chosen THEN there is none (the report says how to make one)', () => {
    expect(costSummaryFile(undefined, dir, {})).toBeUndefined();
  });
});

describe('reading the cost summary', () => {
  test('GIVEN a valid summary WHEN read THEN it comes back as it was', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify(SUMMARY));
    expect(readCostSummary(file)).toEqual(SUMMARY);
  });

  test.each([
    [{ ...SUMMARY, region: 3 }, 'summary.region must be a string, got 3'],
    [{ ...SUMMARY, environments: {} }, 'summary.environments must be an array'],
    [
      { ...SUMMARY, environments: [{ ...SUMMARY.environments[0], monthlyUsd: 'lots' }] },
      'summary.environments[0].monthlyUsd must be a number, got "lots"',
    ],
    [
      { ...SUMMARY, environments: [{ ...SUMMARY.environments[0], withinBudget: 'yes' }] },
      'summary.environments[0].withinBudget must be a boolean, got "yes"',
    ],
    [
      {
        ...SUMMARY,
        environments: [{ ...SUMMARY.environments[0], topDrivers: [{ name: 'x', monthlyUsd: 1 }] }],
      },
      'summary.environments[0].topDrivers[0].share must be a number, got undefined',
    ],
  ])('GIVEN a bad field WHEN parsed THEN the error names it (%#)', (bad, message) => {
    expect(() => parseCostSummary(bad, 'summary')).toThrow(message);
  });

  test('GIVEN an explicit file that is not JSON WHEN loaded THEN the run stops, naming the file', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{');
    expect(() => loadCostSummary({ costFile: file }, dir)).toThrow(`cannot read the cost summary ${file}`);
  });

  test('GIVEN a broken default cost-report.json WHEN loaded THEN a warning, and the report goes on without cost', () => {
    writeFileSync(join(dir, 'cost-report.json'), '{"region": 1}');
    const saved = process.env.COST_SUMMARY_FILE;
    delete process.env.COST_SUMMARY_FILE;
    const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(loadCostSummary({}, dir)).toBeUndefined();
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/generatedAt must be a string.*fix or remove cost-report\.json/),
      );
    } finally {
      warn.mockRestore();
      if (saved !== undefined) process.env.COST_SUMMARY_FILE = saved;
    }
  });
});

describe('npm run loadtest options of the report and the progress', () => {
  const base = ['--target', 'http://127.0.0.1:3000', '--profile', 'smoke'];

  test('GIVEN --cost and --verbose WHEN parsed THEN the run takes them; by default neither', () => {
    expect(parseArgs([...base, '--cost', 'c.json', '--verbose'])).toMatchObject({
      costFile: 'c.json',
      verbose: true,
    });
    const plain = parseArgs(base);
    expect(plain.verbose).toBe(false);
    expect(plain).not.toHaveProperty('costFile');
  });

  test('GIVEN --quiet with --verbose WHEN parsed THEN a usage error says they exclude each other', () => {
    expect(() => parseArgs([...base, '--quiet', '--verbose'])).toThrow(
      '--quiet and --verbose exclude each other',
    );
    expect(() => parseArgs([...base, '--cost'])).toThrow('--cost needs a value');
  });

  test('GIVEN a written report WHEN the run ends THEN its last lines are the two verdicts', () => {
    const report = {
      verdicts: {
        thresholds: { passed: true, word: 'PASSED', detail: '4 of 4 thresholds passed.' },
        capacity: {
          demonstrated: false,
          word: 'NOT DEMONSTRATED',
          requirement: '10,000,000 conversations/day',
          shareOfPeak: 0.00384,
          detail: '',
          command: '',
        },
      },
    } as unknown as LoadTestReport;
    expect(verdictLines({ report })).toBe(
      'Thresholds: ✅ PASSED (4 of 4 thresholds passed)\n' +
        "Capacity for 10,000,000 conversations/day: ⚠️ NOT DEMONSTRATED (0.4% of the model's peak)",
    );
  });
});

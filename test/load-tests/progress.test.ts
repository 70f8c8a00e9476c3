/**
 * The live progress line (load-tests/progress.ts): Artillery's console output as recorded from a
 * real local smoke run (test/fixtures/load-tests/smoke-local.console.txt) read into periods, the
 * line's wording, and how it is drawn: in place on a terminal, plain lines at most every 10 s
 * otherwise, Artillery's metric dumps only when verbose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArtilleryConsoleParser,
  clock,
  formatProgress,
  ProgressLine,
  type ConsoleEvent,
  type ProgressOutput,
} from '../../load-tests/progress';

/** The escape character of the terminal's control sequences. */
const ESC = String.fromCharCode(27);
const CONSOLE = readFileSync(
  join(__dirname, '..', 'fixtures', 'load-tests', 'smoke-local.console.txt'),
  'utf8',
).split('\n');

function parseAll(lines: readonly string[]): ConsoleEvent[] {
  const parser = new ArtilleryConsoleParser();
  return [...lines.flatMap((l) => parser.feed(l)), ...parser.end()];
}

/** A stream that records what was written. */
function recorder(isTTY: boolean, columns?: number): ProgressOutput & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY,
    ...(columns !== undefined ? { columns } : {}),
    write: (chunk: string) => chunks.push(chunk),
    text: () => chunks.join(''),
  };
}

describe("GIVEN Artillery's console output of a real smoke run", () => {
  const events = parseAll(CONSOLE);

  test('WHEN parsed THEN it finds both phases, the three periods with their widths, the summary and the end', () => {
    expect(events.map((e) => e.kind)).toEqual([
      'phase',
      'phase',
      'period',
      'period',
      'period',
      'finished',
      'summary',
    ]);
    expect(events[0]).toEqual({ kind: 'phase', name: 'warm-up', index: 0, durationSeconds: 5 });
    const periods = events.flatMap((e) => (e.kind === 'period' ? [e.period] : []));
    expect(periods.map((p) => p.widthSeconds)).toEqual([5.712, 9.817, 9.579]);
    expect(periods.map((p) => p.counters['conversation.turns'])).toEqual([39, 78, 78]);
    expect(periods.map((p) => p.summaries['http.response_time']?.p99)).toEqual([267.8, 247.2, 141.2]);
    expect(periods[0]!.counters['http.request_rate']).toBe(7); // "7/sec"
  });

  test('WHEN parsed THEN none of its own chatter (run id, checks, log file, rules) is passed through', () => {
    expect(events.filter((e) => e.kind === 'other')).toEqual([]);
  });

  test('WHEN a line is not Artillery chatter (a warning) or a period has errors THEN the warning passes and errors count', () => {
    const out = parseAll([
      'Metrics for period to: 10:00:10(+0000) (width: 10s)',
      '--------------------------------------',
      '',
      'conversation.turns: .......... 50',
      'errors.ETIMEDOUT: ............ 3',
      'errors.unexpected_status_503: . 2',
      '',
      'Worker exited with an error: boom',
    ]);
    expect(out).toEqual([
      {
        kind: 'period',
        period: {
          widthSeconds: 10,
          counters: { 'conversation.turns': 50, 'errors.ETIMEDOUT': 3, 'errors.unexpected_status_503': 2 },
          summaries: {},
        },
      },
      { kind: 'other', line: 'Worker exited with an error: boom' },
    ]);
  });
});

describe('the progress line', () => {
  const base = {
    profile: 'capacity',
    plannedSeconds: 60,
    targetTurnsPerSecond: 41,
    turnsPerSecond: 40.84,
    p99Ms: 78.4,
    errors: 3,
    turns: 1200,
  };

  test('GIVEN a run in progress WHEN formatted THEN elapsed and remaining, turns/s against the target, p99 and errors', () => {
    expect(formatProgress({ ...base, elapsedSeconds: 42.4 })).toBe(
      'capacity 0:42 elapsed, 0:18 left · 40.8 turns/s (target 41) · p99 78 ms · errors 3 (0.25%)',
    );
  });

  test('GIVEN no phase or period yet, or the planned time over, WHEN formatted THEN it says so', () => {
    expect(
      formatProgress({
        ...base,
        elapsedSeconds: undefined,
        turnsPerSecond: undefined,
        p99Ms: undefined,
        errors: 0,
        turns: 0,
      }),
    ).toBe('capacity starting (1:00 planned) · - turns/s (target 41) · p99 - · errors 0');
    expect(formatProgress({ ...base, elapsedSeconds: 63 })).toMatch(
      /^capacity 1:03 elapsed, finishing the last conversations · /,
    );
  });

  test('GIVEN seconds WHEN shown as a clock THEN m:ss, or h:mm:ss past an hour', () => {
    expect([clock(0), clock(9.6), clock(75), clock(4 * 3600 + 62)]).toEqual([
      '0:00',
      '0:10',
      '1:15',
      '4:01:02',
    ]);
  });
});

describe('drawing the progress', () => {
  let now = 0;
  const opts = { profile: 'smoke', plannedSeconds: 25, targetTurnsPerSecond: 8.2, now: () => now };
  beforeEach(() => {
    now = 1_000_000;
  });

  /** Feeds the recorded output, one second per line group, ticking every second like start() would. */
  function replay(progress: ProgressLine): void {
    for (const line of CONSOLE) {
      progress.line(line);
      if (line.startsWith('Metrics for period') || line.startsWith('Phase')) {
        now += 5_000;
        for (let i = 0; i < 5; i++) progress.tick();
      }
    }
    progress.finish();
  }

  test('GIVEN no terminal (CI) WHEN a run is replayed THEN plain lines at most every 10 s, no metric dumps', () => {
    const out = recorder(false);
    replay(new ProgressLine({ ...opts, out }));
    const lines = out.text().trimEnd().split('\n');
    expect(out.text()).not.toContain('\r');
    expect(out.text()).not.toContain(ESC);
    expect(out.text()).not.toMatch(/conversation\.turns|http\.response_time|Metrics for period/);
    // 9 groups of 5 s: a line at 0 s, then every 10 s, and the last at the end
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.length).toBeLessThanOrEqual(7);
    expect(lines.at(-1)).toMatch(
      /^smoke .* elapsed.* · 8(\.\d)? turns\/s \(target 8\.2\) · p99 141 ms · errors 0 \(0\.00%\)$/,
    );
  });

  test('GIVEN a terminal WHEN a run is replayed THEN one line rewritten in place, ended by one newline', () => {
    const out = recorder(true, 200);
    replay(new ProgressLine({ ...opts, out }));
    const text = out.text();
    expect(text.split('\n')).toHaveLength(2); // the final line, then nothing
    expect(text).toContain('\r\x1b[2K');
    expect(text).not.toMatch(/conversation\.turns|Metrics for period/);
    const last = text.slice(text.lastIndexOf('\r\x1b[2K') + 5).trimEnd();
    expect(last).toMatch(/^smoke .* · p99 141 ms · errors 0 \(0\.00%\)$/);
  });

  test('GIVEN a narrow terminal WHEN drawn THEN the line is cut to fit (it must not wrap, or \\r cannot rewrite it)', () => {
    const out = recorder(true, 40);
    const progress = new ProgressLine({ ...opts, out });
    progress.tick();
    const drawn = out.text();
    expect(drawn.length).toBeLessThan(40);
    expect(drawn.endsWith('…')).toBe(true);
  });

  test('GIVEN a terminal WHEN a warning arrives THEN it is printed on its own line above the redrawn progress', () => {
    const out = recorder(true, 200);
    const progress = new ProgressLine({ ...opts, out });
    progress.tick();
    progress.line('Warning: something odd');
    const [before, after] = out.text().split(`\r${ESC}[2KWarning: something odd\n`);
    expect(before).toMatch(/^smoke starting/);
    expect(after!.replace(`\r${ESC}[2K`, '')).toMatch(/^smoke starting/);
  });

  test('GIVEN --verbose WHEN a run is replayed THEN every line of Artillery (the dumps) comes through, with plain progress lines', () => {
    const out = recorder(true);
    replay(new ProgressLine({ ...opts, out, verbose: true }));
    const text = out.text();
    expect(text).toContain(
      'conversation.turns: ............................................................ 78',
    );
    expect(text).toContain('Metrics for period to: 00:56:10(+0000) (width: 9.817s)');
    expect(text).not.toContain('\r');
    expect(text).toMatch(/\nsmoke .* elapsed.*p99 141 ms/);
  });
});

/**
 * The verdicts a load-test report gives (load-tests/report/verdict.ts), checked by hand: the
 * capacity arithmetic, and the two headline verdicts (thresholds; capacity demonstrated).
 */
import { CAPACITY_PLAN } from '../../lib/config/capacity/plan';
import { capacityDemonstration, capacityVerdict, thresholdsVerdict } from '../../load-tests/report/verdict';

describe('the capacity verdict a load-test report gives', () => {
  test('GIVEN 100 turns/s held against a 100 turns/s target WHEN judged THEN it carries 480,000 conversations/day', () => {
    const v = capacityVerdict({
      turnsPerSecond: 100,
      targetTurnsPerSecond: 100,
      meanTurnMs: 150,
      p99TurnMs: 400,
      errorRate: 0,
      workers: 1,
    });
    // 100 turns/s / 3 peak / 6 turns x 86,400 = 480,000; 2,083.33 / 100 = 20.8x
    expect(v.targetHeld).toBe(true);
    expect(v.extrapolatedConversationsPerDay).toBeCloseTo(480_000, 6);
    expect(v.scaleOutFactor).toBeCloseTo(20.833, 2);
    expect(v.meetsModelPeak).toBe(false);
    expect(v.measuredVsModelTurnMs.ratio).toBeCloseTo(0.5, 6);
    expect(v.summary).toMatch(/^Target held/);
  });

  test('GIVEN 80% of the target, or too many errors, WHEN judged THEN the target is not held', () => {
    const base = { targetTurnsPerSecond: 100, meanTurnMs: 100, p99TurnMs: 200, workers: 1 };
    expect(capacityVerdict({ ...base, turnsPerSecond: 80, errorRate: 0 }).targetHeld).toBe(false);
    expect(capacityVerdict({ ...base, turnsPerSecond: 100, errorRate: 0.05 }).targetHeld).toBe(false);
    expect(capacityVerdict({ ...base, turnsPerSecond: 2100, errorRate: 0 }).meetsModelPeak).toBe(true);
  });
});

describe('the two headline verdicts', () => {
  const peak = CAPACITY_PLAN.peakTurnsPerSecond;
  const run = { environment: 'local', profile: 'smoke', workers: 1, stagingWorkers: 10 };
  const judge = (turnsPerSecond: number, errorRate = 0) =>
    capacityVerdict({
      turnsPerSecond,
      targetTurnsPerSecond: turnsPerSecond,
      meanTurnMs: 100,
      p99TurnMs: 200,
      errorRate,
      workers: 1,
    });

  test('GIVEN every threshold passed and Artillery exited 0 WHEN judged THEN PASSED, counting them', () => {
    const t = thresholdsVerdict(
      [
        { expression: 'a <= 1', passed: true, value: 0 },
        { expression: 'b <= 2', passed: true, value: 1 },
      ],
      0,
    );
    expect(t).toEqual({ passed: true, word: 'PASSED', detail: '2 of 2 thresholds passed.' });
  });

  test('GIVEN a failed threshold, or Artillery exiting non-zero, WHEN judged THEN FAILED, saying which and what it measured', () => {
    const failed = thresholdsVerdict(
      [
        { expression: 'http.response_time.p99 <= 1', passed: false, value: 273.2345 },
        { expression: 'vusers.failed <= 0', passed: true, value: 0 },
        { expression: 'no.such >= 1', passed: false, value: null },
      ],
      1,
    );
    expect(failed.word).toBe('FAILED');
    expect(failed.detail).toBe(
      '2 of 3 thresholds failed: http.response_time.p99 <= 1 (measured 273.23); no.such >= 1 (measured missing); Artillery exited with 1.',
    );
    expect(thresholdsVerdict([{ expression: 'a <= 1', passed: true, value: 0 }], 2)).toMatchObject({
      passed: false,
      word: 'FAILED',
    });
  });

  test('GIVEN a run that passed its thresholds far below the peak WHEN judged THEN PASSED and NOT DEMONSTRATED side by side, with the share and the command', () => {
    const c = capacityDemonstration(judge(8), { holdTurnsPerSecond: 8, thresholdsPassed: true }, run);
    expect(c.demonstrated).toBe(false);
    expect(c.word).toBe('NOT DEMONSTRATED');
    expect(c.requirement).toBe('10,000,000 conversations/day');
    expect(c.shareOfPeak).toBeCloseTo(8 / peak, 9);
    expect(c.detail).toMatch(/^This run held 8 turns\/s: 0\.4% of the model's peak of 2,083\.3 turns\/s\./);
    expect(c.command).toBe(
      'LOADTEST_ROLE_ARN=<staging LoadTestInvokerRoleArn output> npm run loadtest -- --target <staging ApiUrl output> --profile capacity --env staging --distributed 10',
    );
  });

  test('GIVEN the peak held with every threshold passed WHEN judged THEN DEMONSTRATED', () => {
    const c = capacityDemonstration(
      judge(peak),
      { holdTurnsPerSecond: peak, thresholdsPassed: true },
      { ...run, environment: 'staging', profile: 'capacity', workers: 10 },
    );
    expect(c).toMatchObject({ demonstrated: true, word: 'DEMONSTRATED', shareOfPeak: 1 });
    expect(c.detail).toMatch(/100% of the model's peak .*, with every threshold passed\.$/);
  });

  test('GIVEN the peak rate reached but a threshold failed (latency) WHEN judged THEN NOT DEMONSTRATED, saying why', () => {
    const c = capacityDemonstration(judge(peak), { holdTurnsPerSecond: peak, thresholdsPassed: false }, run);
    expect(c.word).toBe('NOT DEMONSTRATED');
    expect(c.detail).toMatch(/but a threshold failed/);
  });

  test('GIVEN a distributed staging capacity run of 10 workers that reached half the peak WHEN judged THEN the command asks for enough workers (10% spare)', () => {
    const c = capacityDemonstration(
      judge(peak / 2),
      { holdTurnsPerSecond: peak / 2, thresholdsPassed: true },
      { environment: 'staging', profile: 'capacity', workers: 10, stagingWorkers: 10 },
    );
    expect(c.shareOfPeak).toBeCloseTo(0.5, 9);
    expect(c.command).toMatch(/ --distributed 22$/); // ceil(10 / 0.5 x 1.1)
    const tiny = capacityDemonstration(
      judge(1),
      { holdTurnsPerSecond: 1, thresholdsPassed: true },
      { environment: 'staging', profile: 'capacity', workers: 10, stagingWorkers: 10 },
    );
    expect(tiny.command).toMatch(/ --distributed 100$/); // --distributed takes at most 100
  });
});

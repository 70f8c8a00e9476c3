/** The capacity verdict a load-test report gives (load-tests/report/verdict.ts), checked by hand. */
import { capacityVerdict } from '../../load-tests/report/verdict';

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

import { CircuitBreaker } from '../../../src/util/circuit-breaker';

describe('circuit breaker', () => {
  const clock = () => {
    let t = 1_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  test('GIVEN failures below the threshold WHEN calls are made THEN the circuit stays closed and a success resets the count', () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: c.now });
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  test('GIVEN the threshold of consecutive failures WHEN reached THEN calls fail fast until openMs passes, then one trial goes out', () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 2, openMs: 1000, now: c.now });
    b.failure();
    b.failure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    c.advance(999);
    expect(b.tryAcquire()).toBe(false);
    c.advance(1);
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // only one trial at a time
  });

  test('GIVEN a half-open circuit WHEN the trial fails THEN it opens again; WHEN it succeeds THEN it closes', () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 1, openMs: 500, now: c.now });
    b.failure();
    c.advance(500);
    expect(b.tryAcquire()).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    c.advance(500);
    expect(b.tryAcquire()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
  });

  test('GIVEN nonsense options WHEN constructed THEN it refuses them', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow('failureThreshold');
    expect(() => new CircuitBreaker({ openMs: 0 })).toThrow('openMs');
  });
});

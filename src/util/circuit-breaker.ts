/**
 * A circuit breaker for one remote dependency, per Lambda container: after `failureThreshold`
 * consecutive failures it opens and calls fail fast for `openMs`; then one trial call is let
 * through (half-open): a success closes it, a failure opens it again. A turn then answers "cannot
 * check right now" at once instead of spending its budget on a dependency that is down.
 */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before a trial call, ms. @default 30000 */
  readonly openMs?: number;
  readonly now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.openMs = options.openMs ?? 30_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.threshold) || this.threshold < 1)
      throw new RangeError('failureThreshold must be an integer >= 1');
    if (!(this.openMs > 0)) throw new RangeError('openMs must be > 0');
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.openMs ? 'half-open' : 'open';
  }

  /** True when a call may go out now (closed, or the one trial call of a half-open circuit). */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.openedAt !== undefined || this.failures >= this.threshold) this.openedAt = this.now();
  }
}

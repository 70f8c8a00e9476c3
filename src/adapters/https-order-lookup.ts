/**
 * The order-lookup port over the company's order system (HTTPS + bearer token from Secrets
 * Manager): `GET {baseUrl}/orders/{orderNumber}` -> 200 with the order, 404 when unknown.
 *
 * Within the turn's budget: each attempt has its own timeout (never past the deadline), a failed
 * attempt (timeout, network error, 429, 5xx) is retried while the budget allows, and a circuit
 * breaker (src/util/circuit-breaker.ts) fails fast while the order system is down. What the order
 * system did not say is never guessed: anything but a well-formed 200 or a 404 is `unavailable`.
 * Nothing about the order or the token is logged here: the caller counts the outcome.
 */
import { type OrderLookupResult, type OrderUnavailableReason, parseOrder } from '../../contracts/orders';
import type { OrderLookup, OrderLookupOptions } from '../ports';
import { CircuitBreaker } from '../util/circuit-breaker';

export interface HttpsOrderLookupOptions {
  /** The order system's base URL (https). */
  readonly baseUrl: string;
  /** The bearer token (Secrets Manager, cached per container: src/adapters/secrets.ts). */
  readonly token: () => Promise<string>;
  /** Budget of one attempt, ms. */
  readonly timeoutMs: number;
  /** Attempts at most, budget permitting. @default 2 */
  readonly attempts?: number;
  /** An attempt is not started with less than this left before the deadline, ms. @default 150 */
  readonly minAttemptMs?: number;
  readonly breaker?: CircuitBreaker;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

type Attempt =
  { done: true; result: OrderLookupResult } | { done: false; reason: OrderUnavailableReason; retry: boolean };

export function httpsOrderLookup(options: HttpsOrderLookupOptions): OrderLookup {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'https:') throw new Error('order source URL must be https');
  const root = base.href.replace(/\/+$/, '');
  const attempts = options.attempts ?? 2;
  const minAttemptMs = options.minAttemptMs ?? 150;
  const breaker = options.breaker ?? new CircuitBreaker();
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;

  async function attempt(orderNumber: string, budgetMs: number): Promise<Attempt> {
    let token: string;
    try {
      token = await options.token();
    } catch {
      return { done: false, reason: 'error', retry: false };
    }
    let res: Response;
    try {
      res = await doFetch(`${root}/orders/${encodeURIComponent(orderNumber)}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(budgetMs),
      });
    } catch (err) {
      const name = (err as Error)?.name;
      return { done: false, reason: name === 'TimeoutError' ? 'timeout' : 'error', retry: true };
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return { done: true, result: { kind: 'not-found' } };
    }
    if (res.status === 200) {
      const order = parseOrder(orderNumber, await res.json().catch(() => undefined));
      return order
        ? { done: true, result: { kind: 'found', order } }
        : { done: false, reason: 'invalid-response', retry: false };
    }
    await res.body?.cancel();
    // 429 and 5xx may pass; 401/403/other 4xx are our configuration: retrying will not help.
    return { done: false, reason: 'error', retry: res.status === 429 || res.status >= 500 };
  }

  return {
    async find(orderNumber: string, opts: OrderLookupOptions = {}): Promise<OrderLookupResult> {
      const deadline = opts.deadline ?? now() + options.timeoutMs * attempts;
      let reason: OrderUnavailableReason = 'circuit-open';
      for (let i = 0; i < attempts; i++) {
        const left = deadline - now();
        if (left < minAttemptMs) break;
        if (!breaker.tryAcquire()) break;
        const out = await attempt(orderNumber, Math.min(options.timeoutMs, left));
        if (out.done) {
          breaker.success();
          return out.result;
        }
        if (out.reason === 'invalid-response') breaker.success();
        else breaker.failure();
        reason = out.reason;
        if (!out.retry) break;
      }
      return { kind: 'unavailable', reason };
    },
  };
}

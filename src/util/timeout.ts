/** Per-call timeout budgets for dependency calls. */

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(what: string, ms: number) {
    super(`${what} exceeded its ${ms} ms budget`);
  }
}

/**
 * Runs `fn` with an AbortSignal that fires after `ms`, and rejects with a TimeoutError at that
 * moment even if `fn` ignores the signal (so a hung dependency cannot hold the turn).
 */
export async function withTimeout<T>(
  what: string,
  ms: number,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TimeoutError(what, ms));
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SDK `send` options that abort the call after `timeoutMs`; none when no budget is given. */
export const abortAfter = (timeoutMs?: number): { abortSignal?: AbortSignal } =>
  timeoutMs ? { abortSignal: AbortSignal.timeout(timeoutMs) } : {};

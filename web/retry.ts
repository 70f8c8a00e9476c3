/** How long to wait before retrying a refused message (429/503/409), from its `Retry-After`. */

/** The longest wait the widget honours; a longer `Retry-After` still allows a retry after this. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * `Retry-After` in milliseconds: delta-seconds (`"2"`) or an HTTP date; 0 when absent or not
 * understood (retry allowed at once), never negative, at most MAX_RETRY_AFTER_MS.
 */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number {
  if (!header) return 0;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return 0;
    ms = date - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

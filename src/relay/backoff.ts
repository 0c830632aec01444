/** Retry timing for idempotent upstream calls (SECURITY 4). */

export interface BackoffPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the shopper would be waiting on a spinner. */
  maxRetryAfterMs: number;
}

export const TOKEN_BACKOFF: BackoffPolicy = { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 };

/** Reads that run in the background (the refresh after a webhook): nobody waits on a spinner, the same cap keeps Kount calm. */
export const READ_BACKOFF: BackoffPolicy = { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 };

/** "Full jitter": uniform between 0 and the capped exponential step, so retrying relays spread out. */
export function fullJitterDelayMs(retryIndex: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const realSleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, milliseconds);
  });

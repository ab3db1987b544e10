/** Longest pause between two attempts of one delivery. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/** How long a delivery keeps being retried, and how long a subscription may fail before it is disabled. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Delay before attempt `attempt + 1`: doubling from `baseMs`, capped at an hour, with full ±25 %
 * jitter so a receiver that comes back is not hit by every queued delivery at the same instant.
 */
export function deliveryRetryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
  return Math.round(exponential * (0.75 + random() * 0.5));
}

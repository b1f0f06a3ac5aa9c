import type { RandomSource } from '../time/clock.js';

export interface BackoffPolicy {
  /** Delay ceiling for the first retry, in ms (default 1 000). */
  readonly initialDelayMs: number;
  /** Growth per consecutive failure (default 2). */
  readonly factor: number;
  /** Cap, in ms (default 120 000). */
  readonly maxDelayMs: number;
}

/** The ceiling before jitter for the `attempt`-th consecutive failure (1-based). */
export function backoffCeiling(policy: BackoffPolicy, attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
}

/** Exponential backoff with full jitter: uniform in [0, ceiling). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: RandomSource): number {
  return Math.floor(random.next() * backoffCeiling(policy, attempt));
}

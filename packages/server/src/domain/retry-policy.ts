import type { RetryPolicySpec } from './types.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Waits before attempts 2..8 after an immediate first one (the schedule Svix made familiar). */
const STANDARD = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

/**
 * 100 attempts inside 10 minutes: 1 s doubling, capped at 6 s. The cap keeps
 * the sum of the 99 waits (at most 583 s) under ten minutes.
 */
const RAPID_ATTEMPTS = 100;
const RAPID_CAP = 6 * SECOND;
const RAPID = Array.from({ length: RAPID_ATTEMPTS - 1 }, (_, i) =>
  Math.min(SECOND * 2 ** i, RAPID_CAP),
);

/** Longest a receiver's Retry-After may push the next attempt back. */
export const MAX_RETRY_AFTER_MS = 6 * HOUR;

export interface RetrySchedule {
  /** Waits (ms) before the 2nd, 3rd, … attempt. */
  readonly waits: readonly number[];
  /** Fraction of spread applied to each wait: ±jitter for standard, −jitter for rapid. */
  readonly jitter: number;
  /** Whether jitter may lengthen a wait (rapid only shortens, to stay inside its window). */
  readonly jitterUp: boolean;
}

export function scheduleOf(policy: RetryPolicySpec): RetrySchedule {
  if (policy === 'standard') return { waits: STANDARD, jitter: 0.2, jitterUp: true };
  if (policy === 'rapid') return { waits: RAPID, jitter: 0.2, jitterUp: false };
  return { waits: policy.schedule, jitter: 0, jitterUp: false };
}

export function maxAttempts(policy: RetryPolicySpec): number {
  return scheduleOf(policy).waits.length + 1;
}

/**
 * When to make the next attempt after `attemptsMade` failed ones, or null when
 * the policy is exhausted. `random` is injectable so tests can pin the jitter.
 */
export function nextAttemptAt(
  policy: RetryPolicySpec,
  attemptsMade: number,
  now: number,
  options: { retryAfterMs?: number; random?: () => number } = {},
): number | null {
  const { waits, jitter, jitterUp } = scheduleOf(policy);
  const base = waits[attemptsMade - 1];
  if (base === undefined) return null;
  const random = options.random ?? Math.random;
  const spread = jitterUp ? (random() * 2 - 1) * jitter : -random() * jitter;
  let wait = Math.round(base * (1 + spread));
  if (options.retryAfterMs !== undefined) {
    wait = Math.max(wait, Math.min(options.retryAfterMs, MAX_RETRY_AFTER_MS));
  }
  return now + wait;
}

/** Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

import { nextAttemptAt, parseRetryAfter } from './retry-policy.ts';
import type { Attempt, RetryPolicySpec } from './types.ts';

/**
 * What one HTTP request produced, before Herald decides what happens next:
 * the attempt as it is recorded, and the receiver's Retry-After.
 */
export type SendResult = Omit<Attempt, 'id' | 'deliveryId' | 'number'> & { retryAfter?: string };

export type Outcome =
  | { status: 'delivered'; nextAttemptAt: null }
  | { status: 'pending'; nextAttemptAt: number }
  | { status: 'failed'; nextAttemptAt: null };

export function isSuccess(result: { statusCode: number | null; error: string | null }): boolean {
  return (
    result.error === null &&
    result.statusCode !== null &&
    result.statusCode >= 200 &&
    result.statusCode < 300
  );
}

/** The delivery's next state after attempt number `attemptNumber` ended with `result`. */
export function decideOutcome(
  result: SendResult,
  attemptNumber: number,
  policy: RetryPolicySpec,
  now: number,
  random?: () => number,
): Outcome {
  if (isSuccess(result)) return { status: 'delivered', nextAttemptAt: null };
  // 410 Gone asks never to be called again: no retry (the endpoint is disabled too).
  if (result.statusCode === 410) return { status: 'failed', nextAttemptAt: null };
  const honoursRetryAfter = result.statusCode === 429 || result.statusCode === 503;
  const retryAfterMs = honoursRetryAfter ? parseRetryAfter(result.retryAfter, now) : undefined;
  const next = nextAttemptAt(policy, attemptNumber, now, { retryAfterMs, random });
  return next === null
    ? { status: 'failed', nextAttemptAt: null }
    : { status: 'pending', nextAttemptAt: next };
}

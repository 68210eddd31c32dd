import type { CircuitState } from './endpoint-health.ts';

/**
 * How many deliveries of one endpoint a claim may take, from the endpoint's
 * limits and the state the store read in the same transaction. Pure, so the
 * SQLite and PostgreSQL adapters apply the same rules with their own SQL.
 */

export type EndpointOrdering = 'none' | 'fifo';

export const RATE_WINDOW_MS = 1000;

export interface ClaimCandidate {
  maxConcurrency: number;
  /** Deliveries of the endpoint in flight now. */
  sending: number;
  ordering: EndpointOrdering;
  rateLimitPerSecond: number | null;
  /** Start of the one-second window the counter below belongs to. */
  rateWindowStart: number | null;
  rateWindowCount: number;
  circuit: CircuitState;
  circuitRetryAt: number | null;
}

export interface ClaimPlan {
  /** Most deliveries to claim now. */
  take: number;
  /**
   * due     the due ones, earliest due first
   * oldest  the oldest pending one, if it is due (a FIFO head waits for its own retry)
   */
  pick: 'due' | 'oldest';
  /** The claim is the breaker's single probe. */
  probe: boolean;
}

const NOTHING: ClaimPlan = { take: 0, pick: 'due', probe: false };

/**
 * The window a claim counts into: the current one by this node's clock, or a
 * later one already started by a node whose clock is ahead (or whose claim
 * read its time later). Moving the window back would start a fresh quota in
 * a second that has had its own, then another when the real one comes back.
 */
function rateWindow(c: ClaimCandidate, now: number): number {
  const current = windowOf(now);
  return c.rateWindowStart !== null && c.rateWindowStart > current ? c.rateWindowStart : current;
}

/** Claims counted in the window the claim counts into (a window that has passed counts nothing). */
function rateUsed(c: ClaimCandidate, now: number): number {
  return c.rateWindowStart === rateWindow(c, now) ? c.rateWindowCount : 0;
}

export function windowOf(now: number): number {
  return now - (now % RATE_WINDOW_MS);
}

function rateLeft(c: ClaimCandidate, now: number): number {
  return c.rateLimitPerSecond === null
    ? Number.POSITIVE_INFINITY
    : c.rateLimitPerSecond - rateUsed(c, now);
}

export function planClaim(c: ClaimCandidate, now: number): ClaimPlan {
  const rate = rateLeft(c, now);
  if (rate <= 0) return NOTHING;
  if (c.circuit !== 'closed') {
    // One probe at a time, after the cool-down; everything else waits behind
    // it. The probe is a due delivery (a FIFO endpoint's head, once due): a
    // probe is an attempt of its delivery, and one taken before its time would
    // spend the retry schedule at the cool-down's pace, failing deliveries
    // minutes into an outage the schedule is meant to ride out for a day.
    if (c.sending > 0 || c.circuitRetryAt === null || c.circuitRetryAt > now) return NOTHING;
    return { take: 1, pick: c.ordering === 'fifo' ? 'oldest' : 'due', probe: true };
  }
  if (c.ordering === 'fifo') {
    // Head-of-line: the oldest unfinished delivery goes alone, retries included.
    if (c.sending > 0) return NOTHING;
    return { take: 1, pick: 'oldest', probe: false };
  }
  const take = Math.min(c.maxConcurrency - c.sending, rate);
  return take > 0 ? { take, pick: 'due', probe: false } : NOTHING;
}

/** Whether a claim under `plan` may change the endpoint's columns (see afterClaim): a rate window or a probe. */
export function movesEndpoint(c: ClaimCandidate, plan: ClaimPlan): boolean {
  return c.rateLimitPerSecond !== null || plan.probe;
}

/** The endpoint columns a claim of `taken` deliveries changes (undefined: none). */
export function afterClaim(
  c: ClaimCandidate,
  plan: ClaimPlan,
  taken: number,
  now: number,
  leaseUntil: number,
):
  | {
      rateWindowStart: number | null;
      rateWindowCount: number;
      circuit: CircuitState;
      circuitRetryAt: number | null;
    }
  | undefined {
  if (taken === 0 || !movesEndpoint(c, plan)) return undefined;
  return {
    rateWindowStart: c.rateLimitPerSecond === null ? c.rateWindowStart : rateWindow(c, now),
    rateWindowCount: c.rateLimitPerSecond === null ? c.rateWindowCount : rateUsed(c, now) + taken,
    // A probe whose worker dies is replaced once its lease ends.
    circuit: plan.probe ? 'half_open' : c.circuit,
    circuitRetryAt: plan.probe ? leaseUntil : c.circuitRetryAt,
  };
}

/**
 * The earliest time a claim could take something from this endpoint, given the
 * earliest due time of its pending deliveries and the due time of its oldest
 * one; undefined when only a finished request can free it (the worker is woken
 * then). The worker sleeps until the minimum over endpoints, so this must never
 * answer a past time for an endpoint the claim would skip.
 */
export function claimableAt(
  c: ClaimCandidate,
  earliestDueAt: number | null,
  oldestDueAt: number | null,
): number | undefined {
  if (earliestDueAt === null || oldestDueAt === null) return undefined;
  const dueAt = c.ordering === 'fifo' ? oldestDueAt : earliestDueAt;
  let at: number | null;
  if (c.circuit !== 'closed')
    at = c.sending > 0 || c.circuitRetryAt === null ? null : Math.max(c.circuitRetryAt, dueAt);
  else if (c.ordering === 'fifo') at = c.sending > 0 ? null : dueAt;
  else at = c.sending >= c.maxConcurrency ? null : dueAt;
  if (at === null) return undefined;
  if (
    c.rateLimitPerSecond !== null &&
    c.rateWindowStart !== null &&
    c.rateWindowCount >= c.rateLimitPerSecond
  ) {
    at = Math.max(at, c.rateWindowStart + RATE_WINDOW_MS);
  }
  return at;
}

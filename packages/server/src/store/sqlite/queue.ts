import { afterClaim, claimableAt, planClaim } from '../../domain/claim-plan.ts';
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from '../../domain/endpoint-health.ts';
import type { EndpointCache } from '../endpoint-cache.ts';
import type { AttemptRecord, ClaimedDelivery, ClaimRequest } from '../store.ts';
import type { Db } from './database.ts';
import { applyHealth } from './endpoint-health.ts';
import {
  type CandidateRow,
  type EndpointRow,
  type EventRow,
  toCandidate,
  toEvent,
  type WaitingRow,
} from './rows.ts';

/**
 * The endpoints that have a pending delivery, one index seek each: a loose
 * scan of the due-time index, which jumps from one endpoint's entries to the
 * next one's. Claims and the worker's sleep start from these, so their cost
 * follows the endpoints with work, not every endpoint of every organization
 * (reading each of 10,000 mostly idle endpoints cost 6 ms a cycle).
 */
const BUSY_ENDPOINTS = `
  busy (id) AS (
    SELECT (SELECT endpoint_id FROM deliveries INDEXED BY deliveries_due
            WHERE status = 'pending' ORDER BY endpoint_id LIMIT 1)
    UNION ALL
    SELECT (SELECT endpoint_id FROM deliveries INDEXED BY deliveries_due
            WHERE status = 'pending' AND endpoint_id > busy.id ORDER BY endpoint_id LIMIT 1)
    FROM busy WHERE busy.id IS NOT NULL
  )`;

/**
 * Endpoints with work a claim could take now, earliest due first, with what
 * planClaim needs but the in-flight count (SENDING, read only for the endpoints
 * the claim gets to: with many endpoints, most are never looked at). A closed
 * breaker needs a due delivery; an open one needs one too, and its cool-down
 * to be over (its probe is a due delivery, domain/claim-plan.ts). One index
 * seek per endpoint: the earliest pending due time answers both "is one due"
 * and the order. It is asked as ORDER BY … LIMIT 1,
 * not min(): 2.1 vs 2.3–3.0 µs per busy endpoint (100 busy endpoints); unlike
 * min(), that would return a NULL first, hence IS NOT NULL. The
 * rows are materialized and sorted before the first is returned, so the claim
 * can read them one by one (claimIn) while it changes the tables they came
 * from (sqlite-claim-plan.test.ts checks the plan does).
 */
export const CANDIDATES = `
  WITH RECURSIVE ${BUSY_ENDPOINTS},
  waiting AS MATERIALIZED (
    SELECT e.id, e.max_concurrency, e.ordering, e.rate_limit_per_second, e.rate_window_start,
      e.rate_window_count, e.circuit_state, e.circuit_retry_at,
      (SELECT d.next_attempt_at FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending'
         AND d.next_attempt_at IS NOT NULL ORDER BY d.next_attempt_at LIMIT 1) AS due_at
    FROM busy CROSS JOIN endpoints e ON e.id = busy.id
    WHERE e.enabled = 1 AND e.deleted_at IS NULL
  )
  SELECT * FROM waiting
  WHERE due_at <= ?1 AND (circuit_state = 'closed' OR circuit_retry_at <= ?1)
  ORDER BY due_at`;

const SENDING = "SELECT count(*) AS n FROM deliveries WHERE endpoint_id = ? AND status = 'sending'";

const CLAIMED_COLUMNS =
  'd.rowid AS delivery_rowid, d.id AS delivery_id, d.attempt_count, d.next_attempt_at AS delivery_due_at, ev.*';

const DUE_FOR_ENDPOINT = `
  SELECT ${CLAIMED_COLUMNS}
  FROM deliveries d JOIN events ev ON ev.id = d.event_id
  WHERE d.endpoint_id = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
  ORDER BY d.next_attempt_at, d.id
  LIMIT ?`;

const OLDEST_FOR_ENDPOINT = `
  SELECT ${CLAIMED_COLUMNS}
  FROM deliveries d JOIN events ev ON ev.id = d.event_id
  WHERE d.endpoint_id = ? AND d.status = 'pending'
  ORDER BY d.id
  LIMIT ?`;

const CLAIM_STATE = `UPDATE endpoints SET rate_window_start = ?, rate_window_count = ?, circuit_state = ?,
  circuit_retry_at = ? WHERE id = ?`;

type ClaimedRow = EventRow & {
  delivery_rowid: number;
  delivery_id: string;
  attempt_count: number;
  delivery_due_at: number;
};

// One statement for a claim's rows: their rowids (read in the same transaction)
// travel as a JSON array, and reach the rows without the index by id.
const MARK_SENDING = `UPDATE deliveries SET status = 'sending', lease_expires_at = ?1, updated_at = ?2
  WHERE rowid IN (SELECT value FROM json_each(?3))`;

const ENDPOINT = 'SELECT * FROM endpoints WHERE id = ?';

export type ClaimEndpoints = EndpointCache<EndpointRow>;

export function claimDue(
  db: Db,
  request: ClaimRequest,
  endpoints: ClaimEndpoints,
): ClaimedDelivery[] {
  return db.transaction(() => claimIn(db, request, endpoints));
}

/** Records the batch, then claims what is due now, in one transaction: one commit per cycle. */
export function recordAndClaim(
  db: Db,
  records: AttemptRecord[],
  now: number,
  policy: HealthPolicy | undefined,
  request: ClaimRequest,
  endpoints: ClaimEndpoints,
): ClaimedDelivery[] {
  return db.transaction(() => {
    if (records.length > 0) recordIn(db, records, now, policy);
    return request.limit > 0 ? claimIn(db, request, endpoints) : [];
  });
}

/** claimDue's work, inside the caller's transaction. */
function claimIn(
  db: Db,
  { now, limit, leaseMs }: ClaimRequest,
  endpoints: ClaimEndpoints,
): ClaimedDelivery[] {
  const claimed: ClaimedDelivery[] = [];
  // The rows to mark sending, by lease end: one statement per claim (endpoints
  // share their timeout as a rule), not one per endpoint. No later step of the
  // claim reads them: each endpoint's rows are picked by that endpoint alone.
  const leases = new Map<number, number[]>();
  // One by one: a claim usually fills its limit from the first few endpoints,
  // and each row read costs ≈ 1 µs (100 busy endpoints: 100 µs per cycle).
  for (const row of db.iterate<Omit<CandidateRow, 'sending'>>(CANDIDATES, now)) {
    const candidate = toCandidate({ ...row, sending: db.get<{ n: number }>(SENDING, row.id)!.n });
    const plan = planClaim(candidate, now);
    const take = Math.min(plan.take, limit - claimed.length);
    if (take <= 0) continue;
    const endpoint = endpoints.get(row.id, db.get<EndpointRow>(ENDPOINT, row.id)!);
    const leaseUntil = now + endpoint.timeoutMs + leaseMs;
    const rows =
      plan.pick === 'due'
        ? db.all<ClaimedRow>(DUE_FOR_ENDPOINT, endpoint.id, now, take)
        : db.all<ClaimedRow>(OLDEST_FOR_ENDPOINT, endpoint.id, take);
    let taken = 0;
    for (const due of rows) {
      if (due.delivery_due_at > now) break;
      taken++;
      const ids = leases.get(leaseUntil);
      if (ids) ids.push(due.delivery_rowid);
      else leases.set(leaseUntil, [due.delivery_rowid]);
      claimed.push({
        deliveryId: due.delivery_id,
        attemptNumber: due.attempt_count + 1,
        event: toEvent(due),
        endpoint,
        leaseUntil,
      });
    }
    const state = afterClaim(candidate, plan, taken, now, leaseUntil);
    if (state) {
      db.run(
        CLAIM_STATE,
        state.rateWindowStart,
        state.rateWindowCount,
        state.circuit,
        state.circuitRetryAt,
        endpoint.id,
      );
    }
    if (claimed.length >= limit) break;
  }
  for (const [leaseUntil, ids] of leases)
    db.run(MARK_SENDING, leaseUntil, now, JSON.stringify(ids));
  return claimed;
}

// A delivery whose endpoint was disabled while it was in flight is cancelled
// rather than rescheduled: nothing would ever claim it again. Only the claim
// that holds the delivery settles it (?7, its lease end): the result of one
// whose lease ran out, and which another claim has taken since, moves nothing.
const SETTLE = `
  UPDATE deliveries SET
    status = CASE WHEN ?1 = 'pending' AND (SELECT enabled FROM endpoints WHERE id = endpoint_id) = 0 THEN 'cancelled' ELSE ?1 END,
    attempt_count = ?2, next_attempt_at = ?3, last_status_code = ?4, lease_expires_at = NULL, updated_at = ?5
  WHERE id = ?6 AND status = 'sending' AND lease_expires_at = ?7`;

const INSERT_ATTEMPT = `
  INSERT INTO attempts (id, delivery_id, endpoint_id, number, started_at, duration_ms, status_code, error, error_message, response_body)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;

const DELIVERY_EXISTS = 'SELECT 1 FROM deliveries WHERE id = ?';

// One row per endpoint per batch: the counts are summed in JS first, so a batch
// of 100 attempts to one endpoint rewrites its stats row once, not 100 times.
const COUNT_ATTEMPTS = `
  INSERT INTO endpoint_stats (endpoint_id, attempts_succeeded, attempts_failed, last_success_at, last_failure_at)
  VALUES (?1, ?2, ?3, ?4, ?5)
  ON CONFLICT (endpoint_id) DO UPDATE SET
    attempts_succeeded = attempts_succeeded + excluded.attempts_succeeded,
    attempts_failed = attempts_failed + excluded.attempts_failed,
    last_success_at = coalesce(excluded.last_success_at, last_success_at),
    last_failure_at = coalesce(excluded.last_failure_at, last_failure_at)`;

interface StatsDelta {
  succeeded: number;
  failed: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
}

export function recordAttempts(
  db: Db,
  records: AttemptRecord[],
  now: number,
  policy?: HealthPolicy,
): void {
  db.transaction(() => recordIn(db, records, now, policy));
}

/** recordAttempts' work, inside the caller's transaction. */
function recordIn(
  db: Db,
  records: AttemptRecord[],
  now: number,
  policy: HealthPolicy = DEFAULT_HEALTH_POLICY,
): void {
  const stats = new Map<string, StatsDelta>();
  const kept: AttemptRecord[] = [];
  for (const record of records) {
    const { attemptId, deliveryId, endpointId, attemptNumber, leaseUntil, result, outcome } =
      record;
    const { changes } = db.run(
      SETTLE,
      outcome.status,
      attemptNumber,
      outcome.nextAttemptAt,
      result.statusCode,
      now,
      deliveryId,
      leaseUntil,
    );
    // Not settled: a stale claim's result, logged all the same, or a delivery
    // gone with its organization while in flight, with nothing left to log
    // against (its foreign key would refuse the whole batch, every time).
    if (Number(changes) === 0 && !db.get(DELIVERY_EXISTS, deliveryId)) continue;
    const inserted = db.run(
      INSERT_ATTEMPT,
      attemptId,
      deliveryId,
      endpointId,
      attemptNumber,
      result.startedAt,
      result.durationMs,
      result.statusCode,
      result.error,
      result.errorMessage,
      result.responseBody,
    );
    // Recorded already (the store's contract: the same attempts twice count once).
    if (Number(inserted.changes) === 0) continue;
    kept.push(record);
    let delta = stats.get(endpointId);
    if (!delta) {
      delta = { succeeded: 0, failed: 0, lastSuccessAt: null, lastFailureAt: null };
      stats.set(endpointId, delta);
    }
    if (outcome.status === 'delivered') {
      delta.succeeded++;
      delta.lastSuccessAt = Math.max(delta.lastSuccessAt ?? 0, result.startedAt);
    } else {
      delta.failed++;
      delta.lastFailureAt = Math.max(delta.lastFailureAt ?? 0, result.startedAt);
    }
  }
  for (const [endpointId, d] of stats)
    db.run(COUNT_ATTEMPTS, endpointId, d.succeeded, d.failed, d.lastSuccessAt, d.lastFailureAt);
  applyHealth(db, kept, now, policy);
}

// A delivery whose endpoint was disabled or deleted while it was in flight
// was left out when the endpoint's queue was cancelled; back in the queue it
// would wait for a claim that never comes, so it is cancelled now.
const LIVE_ENDPOINT =
  '(SELECT e.enabled = 1 AND e.deleted_at IS NULL FROM endpoints e WHERE e.id = endpoint_id)';
const RELEASE = `
  UPDATE deliveries SET lease_expires_at = NULL, updated_at = ?1,
    status = CASE WHEN ${LIVE_ENDPOINT} THEN 'pending' ELSE 'cancelled' END,
    next_attempt_at = CASE WHEN ${LIVE_ENDPOINT} THEN ?1 END
  WHERE status = 'sending' AND lease_expires_at <= ?2`;

/** Puts in-flight deliveries whose lease ended by `expiredBy` back in the queue, due at `now`. */
export function releaseLeases(db: Db, now: number, expiredBy: number = now): number {
  return Number(db.run(RELEASE, now, expiredBy).changes);
}

export function cancelPending(db: Db, endpointId: string, now: number): number {
  const { changes } = db.run(
    "UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = ? WHERE endpoint_id = ? AND status = 'pending'",
    now,
    endpointId,
  );
  return Number(changes);
}

/**
 * Every endpoint with pending work, with the due time of its earliest and of
 * its oldest pending delivery: claimableAt turns them into the time the worker
 * should look again, so an endpoint held by its breaker, its FIFO head, its
 * rate or its concurrency never makes the worker spin.
 */
export const WAITING = `
  WITH RECURSIVE ${BUSY_ENDPOINTS}
  SELECT e.max_concurrency, e.ordering, e.rate_limit_per_second, e.rate_window_start, e.rate_window_count,
    e.circuit_state, e.circuit_retry_at,
    (SELECT count(*) FROM deliveries s WHERE s.endpoint_id = e.id AND s.status = 'sending') AS sending,
    (SELECT min(d.next_attempt_at) FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS due_at,
    (SELECT d.next_attempt_at FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' ORDER BY d.id LIMIT 1) AS oldest_due_at
  FROM busy CROSS JOIN endpoints e ON e.id = busy.id
  WHERE e.enabled = 1 AND e.deleted_at IS NULL`;

export function nextDueAt(db: Db): number | undefined {
  let next: number | undefined;
  for (const row of db.all<WaitingRow>(WAITING)) {
    const at = claimableAt(toCandidate(row), row.due_at, row.oldest_due_at);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}

export function queueDepth(db: Db): number {
  return db.get<{ n: number }>(
    "SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'sending')",
  )!.n;
}

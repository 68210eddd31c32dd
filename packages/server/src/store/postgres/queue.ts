import type { AttemptRecord, ClaimedDelivery, ClaimRequest } from '../store.ts';
import type { PgDb, Queryable } from './database.ts';
import { type EventRow, type PgEndpointRow, toEvent, toPgEndpoint } from './rows.ts';

const SENDING_COUNT = `(SELECT count(*) FROM deliveries s WHERE s.endpoint_id = e.id AND s.status = 'sending')`;

/**
 * Step 1 of a claim: lock endpoints that have due work and look like they have
 * free slots. FOR NO KEY UPDATE serializes claimers per endpoint across every
 * node (it does not block ingest, whose foreign keys take only KEY SHARE);
 * SKIP LOCKED sends a node on to other endpoints instead of waiting.
 */
const LOCK_ENDPOINTS = `
  SELECT e.* FROM endpoints e
  WHERE e.enabled AND e.deleted_at IS NULL
    AND EXISTS (SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= $1)
    AND ${SENDING_COUNT} < e.max_concurrency
  ORDER BY (SELECT min(d.next_attempt_at) FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending'), e.id
  LIMIT $2
  FOR NO KEY UPDATE OF e SKIP LOCKED`;

/**
 * Step 2, a new statement and so a new snapshot taken after the locks were
 * granted: it sees every claim committed by whoever held them before, so the
 * count of sending rows is exact and maxConcurrency holds cluster-wide.
 */
const CLAIM = `
  WITH slots AS (
    SELECT e.id, e.timeout_ms, least(e.max_concurrency - ${SENDING_COUNT}, $3) AS free
    FROM endpoints e WHERE e.id = ANY ($1::text[])
  ), due AS (
    SELECT d.id, d.event_id, d.next_attempt_at, s.timeout_ms FROM slots s CROSS JOIN LATERAL (
      SELECT d.id, d.event_id, d.next_attempt_at FROM deliveries d
      WHERE d.endpoint_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= $2
      ORDER BY d.next_attempt_at, d.id
      LIMIT greatest(s.free, 0)
      FOR UPDATE SKIP LOCKED
    ) d
    ORDER BY d.next_attempt_at, d.id
    LIMIT $3
  )
  UPDATE deliveries d
  SET status = 'sending', lease_expires_at = $2 + due.timeout_ms + $4, updated_at = $2
  FROM due JOIN events ev ON ev.id = due.event_id
  WHERE d.id = due.id
  RETURNING d.id AS delivery_id, d.attempt_count, d.endpoint_id, ev.*`;

// Claims are the most frequent write. Not waiting for their WAL flush halves
// their cost; a claim lost in a database crash only means the delivery is sent
// again, which at-least-once delivery allows.
const CLAIM_COMMIT = { asyncCommit: true };

export function claimDue(
  db: PgDb,
  { now, limit, leaseMs }: ClaimRequest,
): Promise<ClaimedDelivery[]> {
  return db.transaction(async (tx) => {
    const { rows: locked } = await tx.query<PgEndpointRow>(LOCK_ENDPOINTS, [now, limit]);
    if (locked.length === 0) return [];
    const endpoints = new Map(locked.map((row) => [row.id, toPgEndpoint(row)]));
    const { rows } = await tx.query<
      EventRow & { delivery_id: string; attempt_count: number; endpoint_id: string }
    >(CLAIM, [[...endpoints.keys()], now, limit, leaseMs]);
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      attemptNumber: row.attempt_count + 1,
      event: toEvent(row),
      endpoint: endpoints.get(row.endpoint_id)!,
    }));
  }, CLAIM_COMMIT);
}

/**
 * A whole batch of attempts in one statement, one round trip: the rows travel
 * as arrays and unnest back into a table. A delivery whose endpoint was
 * disabled while it was in flight is cancelled rather than rescheduled:
 * nothing would ever claim it again. Stats rows are upserted in endpoint id
 * order so that two nodes recording at once cannot deadlock on them.
 */
const RECORD = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::int[],
      $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[])
      AS t (attempt_id, delivery_id, endpoint_id, number, started_at, duration_ms,
        status_code, error, error_message, response_body, status, next_attempt_at)
    -- The organization may have been deleted while the request was in flight.
    WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.id = t.delivery_id)
  ), recorded AS (
    INSERT INTO attempts (id, delivery_id, number, started_at, duration_ms, status_code, error, error_message, response_body)
    SELECT attempt_id, delivery_id, number, started_at, duration_ms, status_code, error, error_message, response_body
    FROM input
  ), settled AS (
    UPDATE deliveries d SET
      status = CASE WHEN i.status = 'pending' AND NOT e.enabled THEN 'cancelled' ELSE i.status END,
      attempt_count = i.number, next_attempt_at = i.next_attempt_at, last_status_code = i.status_code,
      lease_expires_at = NULL, updated_at = $13
    FROM input i JOIN endpoints e ON e.id = i.endpoint_id
    WHERE d.id = i.delivery_id AND d.status = 'sending'
  )
  INSERT INTO endpoint_stats (endpoint_id, attempts_succeeded, attempts_failed, last_success_at, last_failure_at)
  SELECT endpoint_id,
    count(*) FILTER (WHERE status = 'delivered'),
    count(*) FILTER (WHERE status <> 'delivered'),
    max(started_at) FILTER (WHERE status = 'delivered'),
    max(started_at) FILTER (WHERE status <> 'delivered')
  FROM input GROUP BY endpoint_id ORDER BY endpoint_id
  ON CONFLICT (endpoint_id) DO UPDATE SET
    attempts_succeeded = endpoint_stats.attempts_succeeded + excluded.attempts_succeeded,
    attempts_failed = endpoint_stats.attempts_failed + excluded.attempts_failed,
    last_success_at = greatest(excluded.last_success_at, endpoint_stats.last_success_at),
    last_failure_at = greatest(excluded.last_failure_at, endpoint_stats.last_failure_at)`;

export async function recordAttempts(
  db: Queryable,
  records: AttemptRecord[],
  now: number,
): Promise<void> {
  if (records.length === 0) return;
  const column = <T>(pick: (record: AttemptRecord) => T) => records.map(pick);
  await db.query(RECORD, [
    column((r) => r.attemptId),
    column((r) => r.deliveryId),
    column((r) => r.endpointId),
    column((r) => r.attemptNumber),
    column((r) => r.result.startedAt),
    column((r) => Math.round(r.result.durationMs)),
    column((r) => r.result.statusCode),
    column((r) => r.result.error),
    column((r) => r.result.errorMessage),
    column((r) => r.result.responseBody),
    column((r) => r.outcome.status),
    column((r) => r.outcome.nextAttemptAt),
    now,
  ]);
}

/**
 * Puts in-flight deliveries whose lease ended back in the queue, due at `now`,
 * and wakes every node. Runs on every node; the row locks make each delivery
 * come back once.
 */
export async function releaseExpiredLeases(db: PgDb, now: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE deliveries SET status = 'pending', lease_expires_at = NULL, next_attempt_at = $1, updated_at = $1
     WHERE status = 'sending' AND lease_expires_at <= $1`,
    [now],
  );
  if (rowCount) db.due.soon();
  return rowCount ?? 0;
}

export async function cancelPending(db: Queryable, endpointId: string, now: number): Promise<void> {
  await db.query(
    "UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = $1 WHERE endpoint_id = $2 AND status = 'pending'",
    [now, endpointId],
  );
}

/**
 * The earliest due time among endpoints with a free slot. A saturated endpoint
 * is left out: its slots free up when an attempt is recorded, which wakes the
 * recording worker anyway, and counting it would make idle nodes spin.
 */
export async function nextDueAt(db: Queryable): Promise<number | undefined> {
  const { rows } = await db.query<{ due: number | null }>(
    `SELECT min((SELECT min(d.next_attempt_at) FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending')) AS due
     FROM endpoints e
     WHERE e.enabled AND e.deleted_at IS NULL AND ${SENDING_COUNT} < e.max_concurrency`,
  );
  return rows[0]?.due ?? undefined;
}

export async function queueDepth(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'sending')",
  );
  return rows[0].n;
}

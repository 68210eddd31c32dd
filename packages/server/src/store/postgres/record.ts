import {
  DEFAULT_HEALTH_POLICY,
  failingEndpoints,
  type HealthPolicy,
} from '../../domain/endpoint-health.ts';
import { NOT_HEALTHY } from '../not-healthy.ts';
import type { AttemptRecord } from '../store.ts';
import type { Statement } from './batch.ts';
import { type PgDb, prepared, type Queryable } from './database.ts';
import { applyHealth, lockHealth } from './endpoint-health.ts';

/**
 * A whole batch of attempts in one statement, one round trip: the rows travel
 * as arrays and unnest back into a table. A delivery whose endpoint was
 * disabled while it was in flight is cancelled rather than rescheduled:
 * nothing would ever claim it again. Only the claim holding a delivery
 * settles it (its lease end, lease_until): the result of a claim whose lease
 * ran out, the delivery taken by another since, is logged and moves nothing.
 * Stats rows are upserted in endpoint id
 * order so that two nodes recording at once cannot deadlock on them.
 */
const RECORD = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::int[],
      $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $14::bigint[])
      AS t (attempt_id, delivery_id, endpoint_id, number, started_at, duration_ms,
        status_code, error, error_message, response_body, status, next_attempt_at, lease_until)
    -- The organization may have been deleted while the request was in flight.
    WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.id = t.delivery_id)
  ), recorded AS (
    INSERT INTO attempts (id, delivery_id, endpoint_id, number, started_at, duration_ms, status_code, error, error_message, response_body)
    SELECT attempt_id, delivery_id, endpoint_id, number, started_at, duration_ms, status_code, error, error_message, response_body
    FROM input
    -- Sent again after its commit's answer was lost with the connection.
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  ), settled AS (
    UPDATE deliveries d SET
      status = CASE WHEN i.status = 'pending' AND NOT e.enabled THEN 'cancelled' ELSE i.status END,
      attempt_count = i.number, next_attempt_at = i.next_attempt_at, last_status_code = i.status_code,
      lease_expires_at = NULL, updated_at = $13
    FROM input i JOIN endpoints e ON e.id = i.endpoint_id
    WHERE d.id = i.delivery_id AND d.status = 'sending' AND d.lease_expires_at = i.lease_until
  ), counted AS (
  INSERT INTO endpoint_stats (endpoint_id, attempts_succeeded, attempts_failed, last_success_at, last_failure_at)
  SELECT endpoint_id,
    count(*) FILTER (WHERE status = 'delivered'),
    count(*) FILTER (WHERE status <> 'delivered'),
    max(started_at) FILTER (WHERE status = 'delivered'),
    max(started_at) FILTER (WHERE status <> 'delivered')
  FROM input WHERE attempt_id IN (SELECT id FROM recorded) GROUP BY endpoint_id ORDER BY endpoint_id
  ON CONFLICT (endpoint_id) DO UPDATE SET
    attempts_succeeded = endpoint_stats.attempts_succeeded + excluded.attempts_succeeded,
    attempts_failed = endpoint_stats.attempts_failed + excluded.attempts_failed,
    last_success_at = greatest(excluded.last_success_at, endpoint_stats.last_success_at),
    last_failure_at = greatest(excluded.last_failure_at, endpoint_stats.last_failure_at)
  RETURNING endpoint_id
  )
  -- Endpoints whose health is not the default (any of its columns): a success must reset them.
  SELECT e.id FROM endpoints e
  WHERE e.id IN (SELECT endpoint_id FROM counted) AND ${NOT_HEALTHY}`;

/**
 * Records the batch in one statement, then folds it into endpoint health. The
 * common batch (successes on healthy endpoints) stops after that one round
 * trip; endpoints that failed in it or are not healthy get a transaction that
 * locks them (in id order, as claims lock them) so two nodes never lose each
 * other's breaker or failure counts. A crash between the two loses one
 * batch's health step only: the next attempt's outcome catches up.
 */
export async function recordAttempts(
  db: PgDb,
  records: AttemptRecord[],
  now: number,
  policy: HealthPolicy = DEFAULT_HEALTH_POLICY,
): Promise<void> {
  if (records.length === 0) return;
  const { rows } = await recordBatch(db, records, now);
  const attention = needsHealth(records, rows);
  if (attention.size === 0) return;
  const due = await db.transaction((tx) => applyHealthOf(tx, attention, records, now, policy));
  if (due) db.due.soon();
}

/** Endpoints whose health the batch may change: unhealthy ones (from RECORD) and those that failed in it. */
export function needsHealth(records: AttemptRecord[], unhealthy: { id: string }[]): Set<string> {
  const attention = failingEndpoints(records);
  for (const row of unhealthy) attention.add(row.id);
  return attention;
}

export function applyHealthOf(
  tx: Queryable,
  attention: Set<string>,
  records: AttemptRecord[],
  now: number,
  policy: HealthPolicy,
): Promise<boolean> {
  return lockHealth(tx, [...attention]).then((locked) => {
    const concerned = records.filter((record) => attention.has(record.endpointId));
    return applyHealth(tx, locked, concerned, now, policy);
  });
}

function recordBatch(db: Queryable, records: AttemptRecord[], now: number) {
  const { text, values } = recordStatement(records, now);
  return prepared<{ id: string }>(db, 'record', text, values);
}

/**
 * A receiver's text as a PostgreSQL text value can hold it: without NUL
 * characters (a binary answer decodes to some), which PostgreSQL refuses in
 * any text. Refused, the whole batch failed and the worker retried it forever.
 */
function storable(text: string | null): string | null {
  return text?.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

/** RECORD with the batch as its arrays; it answers the ids of endpoints whose health is not the default. */
export function recordStatement(records: AttemptRecord[], now: number): Statement {
  const column = <T>(pick: (record: AttemptRecord) => T) => records.map(pick);
  const values = [
    column((r) => r.attemptId),
    column((r) => r.deliveryId),
    column((r) => r.endpointId),
    column((r) => r.attemptNumber),
    column((r) => r.result.startedAt),
    column((r) => Math.round(r.result.durationMs)),
    column((r) => r.result.statusCode),
    column((r) => r.result.error),
    column((r) => storable(r.result.errorMessage)),
    column((r) => storable(r.result.responseBody)),
    column((r) => r.outcome.status),
    column((r) => r.outcome.nextAttemptAt),
    now,
    column((r) => r.leaseUntil),
  ];
  return { name: 'herald_batch_record', text: RECORD, values };
}

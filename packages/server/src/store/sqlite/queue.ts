import type { AttemptRecord, ClaimedDelivery, ClaimRequest } from '../store.ts';
import type { Db } from './database.ts';
import { type EndpointRow, type EventRow, toEndpoint, toEvent } from './rows.ts';

/** Endpoints with due work and the slots their maxConcurrency leaves free. */
const CANDIDATES = `
  SELECT e.*, e.max_concurrency -
    (SELECT count(*) FROM deliveries s WHERE s.endpoint_id = e.id AND s.status = 'sending') AS free,
    (SELECT min(d.next_attempt_at) FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS due_at
  FROM endpoints e
  WHERE e.enabled = 1 AND e.deleted_at IS NULL
    AND EXISTS (SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ?)
  ORDER BY due_at`;

const DUE_FOR_ENDPOINT = `
  SELECT d.id AS delivery_id, d.attempt_count, ev.*
  FROM deliveries d JOIN events ev ON ev.id = d.event_id
  WHERE d.endpoint_id = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
  ORDER BY d.next_attempt_at, d.id
  LIMIT ?`;

export function claimDue(db: Db, { now, limit, leaseMs }: ClaimRequest): ClaimedDelivery[] {
  return db.transaction(() => {
    const claimed: ClaimedDelivery[] = [];
    for (const candidate of db.all<EndpointRow & { free: number }>(CANDIDATES, now)) {
      const take = Math.min(candidate.free, limit - claimed.length);
      if (take <= 0) continue;
      const endpoint = toEndpoint(candidate);
      const leaseUntil = now + endpoint.timeoutMs + leaseMs;
      for (const row of db.all<EventRow & { delivery_id: string; attempt_count: number }>(
        DUE_FOR_ENDPOINT,
        endpoint.id,
        now,
        take,
      )) {
        db.run(
          "UPDATE deliveries SET status = 'sending', lease_expires_at = ?, updated_at = ? WHERE id = ?",
          leaseUntil,
          now,
          row.delivery_id,
        );
        claimed.push({
          deliveryId: row.delivery_id,
          attemptNumber: row.attempt_count + 1,
          event: toEvent(row),
          endpoint,
        });
      }
      if (claimed.length >= limit) break;
    }
    return claimed;
  });
}

// A delivery whose endpoint was disabled while it was in flight is cancelled
// rather than rescheduled: nothing would ever claim it again.
const SETTLE = `
  UPDATE deliveries SET
    status = CASE WHEN ?1 = 'pending' AND (SELECT enabled FROM endpoints WHERE id = endpoint_id) = 0 THEN 'cancelled' ELSE ?1 END,
    attempt_count = ?2, next_attempt_at = ?3, last_status_code = ?4, lease_expires_at = NULL, updated_at = ?5
  WHERE id = ?6 AND status = 'sending'`;

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

export function recordAttempts(db: Db, records: AttemptRecord[], now: number): void {
  const stats = new Map<string, StatsDelta>();
  db.transaction(() => {
    for (const { attemptId, deliveryId, endpointId, attemptNumber, result, outcome } of records) {
      db.run(
        `INSERT INTO attempts (id, delivery_id, number, started_at, duration_ms, status_code, error, error_message, response_body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        attemptId,
        deliveryId,
        attemptNumber,
        result.startedAt,
        result.durationMs,
        result.statusCode,
        result.error,
        result.errorMessage,
        result.responseBody,
      );
      db.run(
        SETTLE,
        outcome.status,
        attemptNumber,
        outcome.nextAttemptAt,
        result.statusCode,
        now,
        deliveryId,
      );
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
  });
}

/** Puts in-flight deliveries whose lease ended by `expiredBy` back in the queue, due at `now`. */
export function releaseLeases(db: Db, now: number, expiredBy: number = now): number {
  return Number(
    db.run(
      "UPDATE deliveries SET status = 'pending', lease_expires_at = NULL, next_attempt_at = ?1, updated_at = ?1 WHERE status = 'sending' AND lease_expires_at <= ?2",
      now,
      expiredBy,
    ).changes,
  );
}

export function cancelPending(db: Db, endpointId: string, now: number): void {
  db.run(
    "UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = ? WHERE endpoint_id = ? AND status = 'pending'",
    now,
    endpointId,
  );
}

/**
 * The earliest due time among endpoints with a free slot. A saturated endpoint
 * is left out: recording an attempt frees its slot and wakes the worker, and
 * counting it would make the worker poll in a tight loop meanwhile.
 */
export function nextDueAt(db: Db): number | undefined {
  const row = db.get<{ due: number | null }>(
    `SELECT min((SELECT min(d.next_attempt_at) FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending')) AS due
     FROM endpoints e WHERE e.enabled = 1 AND e.deleted_at IS NULL
       AND (SELECT count(*) FROM deliveries s WHERE s.endpoint_id = e.id AND s.status = 'sending') < e.max_concurrency`,
  );
  return row?.due ?? undefined;
}

export function queueDepth(db: Db): number {
  return db.get<{ n: number }>(
    "SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'sending')",
  )!.n;
}

import {
  byEndpoint,
  type DisabledReason,
  type EndpointHealth,
  failingEndpoints,
  type HealthPolicy,
  recordBatchHealth,
} from '../../domain/endpoint-health.ts';
import { endpointDisabledEvent } from '../endpoint-disabled-event.ts';
import { NOT_HEALTHY } from '../not-healthy.ts';
import type { AttemptRecord } from '../store.ts';
import type { Db } from './database.ts';
import { DISABLE } from './endpoints.ts';
import { ingest } from './events.ts';
import { cancelPending } from './queue.ts';
import { type EndpointRow, toHealth } from './rows.ts';

const WRITE_HEALTH = `UPDATE endpoints SET consecutive_failures = ?, consecutive_failed_deliveries = ?,
  failing_since = ?, circuit_state = ?, circuit_retry_at = ?, circuit_cooldown_ms = ? WHERE id = ?`;

// The receiver is back: the backlog the breaker held becomes due at once and,
// due together, drains in order of age (the claim breaks ties by id).
const RELEASE_BACKLOG = `UPDATE deliveries SET next_attempt_at = ?1, updated_at = ?1
  WHERE endpoint_id = ?2 AND status = 'pending' AND next_attempt_at <> ?1`;

/**
 * The rows of the batch's endpoints (?1) whose health the batch may change:
 * those with a failure in it (?2), and those not healthy already. A success
 * leaves a healthy endpoint as it is, so the usual batch, all delivered to
 * healthy endpoints, reads none: one statement per batch instead of one read
 * per endpoint (≈ 5 µs per endpoint of a batch, bench/micro/store-cycle.ts).
 */
const NEEDS_HEALTH = `SELECT e.* FROM endpoints e
  WHERE e.id IN (SELECT value FROM json_each(?1)) AND e.enabled = 1 AND e.deleted_at IS NULL
    AND (e.id IN (SELECT value FROM json_each(?2)) OR ${NOT_HEALTHY})`;

/**
 * Folds a recorded batch into each endpoint's health, inside the recording
 * transaction: at most one write per endpoint, not per attempt.
 */
export function applyHealth(
  db: Db,
  records: AttemptRecord[],
  now: number,
  policy: HealthPolicy,
): void {
  const groups = byEndpoint(records);
  const failing = failingEndpoints(records);
  const rows = db.all<EndpointRow>(
    NEEDS_HEALTH,
    JSON.stringify([...groups.keys()]),
    JSON.stringify([...failing]),
  );
  if (rows.length === 0) return;
  const concerned = new Map(rows.map((row) => [row.id, row]));
  // In the batch's order, as the endpoints' disabled events were published before.
  for (const [endpointId, attempts] of groups) {
    const row = concerned.get(endpointId);
    if (!row) continue;
    const batch = recordBatchHealth(toHealth(row), attempts, now, policy);
    if (batch.changed) writeHealth(db, endpointId, batch.health);
    if (batch.disable) disableEndpoint(db, row, batch.disable, batch.health, now);
    else if (batch.released) db.run(RELEASE_BACKLOG, now, endpointId);
  }
}

function writeHealth(db: Db, endpointId: string, health: EndpointHealth): void {
  db.run(
    WRITE_HEALTH,
    health.consecutiveFailures,
    health.consecutiveFailedDeliveries,
    health.failingSince,
    health.circuit,
    health.circuitRetryAt,
    health.circuitCooldownMs,
    endpointId,
  );
}

/**
 * Disables the endpoint, cancels what it still had to send and publishes
 * `endpoint.disabled` through the normal ingest: the organization's other
 * subscribed endpoints get it like any event, in this same transaction.
 */
function disableEndpoint(
  db: Db,
  endpoint: EndpointRow,
  reason: DisabledReason,
  health: EndpointHealth,
  now: number,
): void {
  db.run(DISABLE, reason, now, endpoint.id);
  const cancelled = cancelPending(db, endpoint.id, now);
  ingest(db, endpointDisabledEvent(endpoint, reason, now, health, cancelled));
}

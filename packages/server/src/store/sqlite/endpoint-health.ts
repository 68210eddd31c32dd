import {
  byEndpoint,
  type DisabledReason,
  type EndpointHealth,
  type HealthPolicy,
  recordBatchHealth,
} from '../../domain/endpoint-health.ts';
import { endpointDisabledEvent } from '../endpoint-disabled-event.ts';
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
 * Folds a recorded batch into each endpoint's health, inside the recording
 * transaction: one read and at most one write per endpoint, not per attempt.
 */
export function applyHealth(
  db: Db,
  records: AttemptRecord[],
  now: number,
  policy: HealthPolicy,
): void {
  for (const [endpointId, attempts] of byEndpoint(records)) {
    const row = db.get<EndpointRow>(
      'SELECT * FROM endpoints WHERE id = ? AND enabled = 1 AND deleted_at IS NULL',
      endpointId,
    );
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

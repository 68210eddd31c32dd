import {
  byEndpoint,
  type DisabledReason,
  type EndpointHealth,
  type HealthPolicy,
  recordBatchHealth,
} from '../../domain/endpoint-health.ts';
import { endpointDisabledEvent } from '../endpoint-disabled-event.ts';
import { toHealth } from '../sqlite/rows.ts';
import type { AttemptRecord } from '../store.ts';
import type { Queryable } from './database.ts';
import { DISABLE } from './endpoints.ts';
import { ingestOnce } from './events.ts';
import { cancelPending } from './queue.ts';
import type { PgEndpointRow } from './rows.ts';

const WRITE_HEALTH = `UPDATE endpoints SET consecutive_failures = $1, consecutive_failed_deliveries = $2,
  failing_since = $3, circuit_state = $4, circuit_retry_at = $5, circuit_cooldown_ms = $6 WHERE id = $7`;

// The receiver is back: the backlog the breaker held becomes due at once and,
// due together, drains in order of age (the claim breaks ties by id).
const RELEASE_BACKLOG = `UPDATE deliveries SET next_attempt_at = $1, updated_at = $1
  WHERE endpoint_id = $2 AND status = 'pending' AND next_attempt_at <> $1`;

/**
 * Locks the batch's live, enabled endpoints in id order (the order every
 * recorder takes them in, so two nodes cannot deadlock) and reads their health.
 */
export async function lockHealth(
  tx: Queryable,
  ids: string[],
): Promise<Map<string, PgEndpointRow>> {
  const { rows } = await tx.query<PgEndpointRow>(
    `SELECT * FROM endpoints WHERE id = ANY ($1::text[]) AND enabled AND deleted_at IS NULL
     ORDER BY id FOR NO KEY UPDATE`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Folds the recorded batch into each locked endpoint's health
 * (domain/endpoint-health.ts). Answers whether work became due (a released
 * backlog, an `endpoint.disabled` delivery), to wake the nodes after commit.
 */
export async function applyHealth(
  tx: Queryable,
  locked: Map<string, PgEndpointRow>,
  records: AttemptRecord[],
  now: number,
  policy: HealthPolicy,
): Promise<boolean> {
  let due = false;
  for (const [endpointId, attempts] of byEndpoint(records)) {
    const row = locked.get(endpointId);
    if (!row) continue;
    const batch = recordBatchHealth(toHealth(row), attempts, now, policy);
    if (batch.changed) await writeHealth(tx, endpointId, batch.health);
    if (batch.disable) {
      await disableEndpoint(tx, row, batch.disable, batch.health, now);
      due = true;
    } else if (batch.released) {
      await tx.query(RELEASE_BACKLOG, [now, endpointId]);
      due = true;
    }
  }
  return due;
}

async function writeHealth(tx: Queryable, endpointId: string, health: EndpointHealth) {
  await tx.query(WRITE_HEALTH, [
    health.consecutiveFailures,
    health.consecutiveFailedDeliveries,
    health.failingSince,
    health.circuit,
    health.circuitRetryAt,
    health.circuitCooldownMs,
    endpointId,
  ]);
}

/**
 * Disables the endpoint, cancels what it still had to send and publishes
 * `endpoint.disabled` through the normal ingest, in the recording transaction.
 */
async function disableEndpoint(
  tx: Queryable,
  endpoint: PgEndpointRow,
  reason: DisabledReason,
  health: EndpointHealth,
  now: number,
) {
  await tx.query(DISABLE, [reason, now, endpoint.id]);
  const cancelled = await cancelPending(tx, endpoint.id, now);
  await ingestOnce(tx, endpointDisabledEvent(endpoint, reason, now, health, cancelled));
}

import type { Endpoint, EndpointStats } from '../../domain/types.ts';
import type { EndpointPatch, NewEndpoint, Page, PageRequest, SecretRotation } from '../store.ts';
import type { Db } from './database.ts';
import { pageOf } from './paging.ts';
import { cancelPending } from './queue.ts';
import { type EndpointRow, toEndpoint } from './rows.ts';

const LIVE = 'deleted_at IS NULL';

export const DISABLE =
  'UPDATE endpoints SET enabled = 0, disabled_reason = ?1, disabled_at = ?2, updated_at = ?2 WHERE id = ?3';
const ENABLE = `UPDATE endpoints SET disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0,
  consecutive_failed_deliveries = 0, failing_since = NULL, circuit_state = 'closed', circuit_retry_at = NULL,
  circuit_cooldown_ms = NULL WHERE id = ?`;

function columns(endpoint: Omit<NewEndpoint, 'id' | 'orgId'>) {
  return [
    endpoint.name,
    endpoint.url,
    endpoint.eventTypes === null ? null : JSON.stringify(endpoint.eventTypes),
    endpoint.enabled ? 1 : 0,
    endpoint.auth === null ? null : JSON.stringify(endpoint.auth),
    JSON.stringify(endpoint.headers),
    endpoint.timeoutMs,
    endpoint.maxConcurrency,
    JSON.stringify(endpoint.retryPolicy),
    endpoint.payloadFormat,
    endpoint.secret,
    endpoint.rateLimitPerSecond ?? null,
    endpoint.ordering ?? 'none',
  ];
}

export function createEndpoint(db: Db, endpoint: NewEndpoint, now: number): Endpoint {
  const previousSecrets = endpoint.previousSecrets ?? [];
  db.run(
    `INSERT INTO endpoints (id, org_id, name, url, event_types, enabled, auth, headers, timeout_ms,
       max_concurrency, retry_policy, payload_format, secret, rate_limit_per_second, ordering,
       previous_secrets, disabled_reason, disabled_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    endpoint.id,
    endpoint.orgId,
    ...columns(endpoint),
    JSON.stringify(previousSecrets),
    endpoint.enabled ? null : 'manual',
    endpoint.enabled ? null : now,
    now,
    now,
  );
  return getEndpoint(db, endpoint.orgId, endpoint.id)!;
}

export function listEndpoints(db: Db, orgId: string, page: PageRequest): Page<Endpoint> {
  return pageOf(
    db,
    { table: 'endpoints', where: `org_id = ? AND ${LIVE}`, params: [orgId], map: toEndpoint },
    page,
  );
}

export function getEndpoint(db: Db, orgId: string, id: string): Endpoint | undefined {
  const row = db.get<EndpointRow>(
    `SELECT * FROM endpoints WHERE org_id = ? AND id = ? AND ${LIVE}`,
    orgId,
    id,
  );
  return row && toEndpoint(row);
}

export function updateEndpoint(
  db: Db,
  orgId: string,
  id: string,
  patch: EndpointPatch,
  now: number,
): Endpoint | undefined {
  return db.transaction(() => {
    const current = getEndpoint(db, orgId, id);
    if (!current) return undefined;
    const next: Endpoint = { ...current, ...patch, updatedAt: now };
    db.run(
      `UPDATE endpoints SET name = ?, url = ?, event_types = ?, enabled = ?, auth = ?, headers = ?,
         timeout_ms = ?, max_concurrency = ?, retry_policy = ?, payload_format = ?, secret = ?,
         rate_limit_per_second = ?, ordering = ?, updated_at = ?
       WHERE id = ?`,
      ...columns(next),
      now,
      id,
    );
    if (current.enabled && !next.enabled) {
      db.run(DISABLE, 'manual', now, id);
      cancelPending(db, id, now);
    }
    // Re-enabling is an operator's word that the receiver is fixed: start healthy.
    if (!current.enabled && next.enabled) db.run(ENABLE, id);
    return getEndpoint(db, orgId, id);
  });
}

export function rotateEndpointSecret(
  db: Db,
  orgId: string,
  id: string,
  rotation: SecretRotation,
  now: number,
): Endpoint | undefined {
  return db.transaction(() => {
    const current = getEndpoint(db, orgId, id);
    if (!current) return undefined;
    const previousSecrets = [
      ...current.previousSecrets,
      { secret: current.secret, expiresAt: rotation.previousExpiresAt },
    ].filter((previous) => previous.expiresAt > now && previous.secret !== rotation.secret);
    db.run(
      'UPDATE endpoints SET secret = ?, previous_secrets = ?, updated_at = ? WHERE id = ?',
      rotation.secret,
      JSON.stringify(previousSecrets),
      now,
      id,
    );
    return { ...current, secret: rotation.secret, previousSecrets, updatedAt: now };
  });
}

export function deleteEndpoint(db: Db, orgId: string, id: string, now: number): boolean {
  return db.transaction(() => {
    const changed = db.run(
      `UPDATE endpoints SET deleted_at = ?, enabled = 0 WHERE org_id = ? AND id = ? AND ${LIVE}`,
      now,
      orgId,
      id,
    );
    if (changed.changes === 0) return false;
    cancelPending(db, id, now);
    return true;
  });
}

export function endpointStats(db: Db, id: string): EndpointStats {
  const counts = db.all<{ status: string; n: number }>(
    'SELECT status, count(*) AS n FROM deliveries WHERE endpoint_id = ? GROUP BY status',
    id,
  );
  const count = (status: string) => counts.find((row) => row.status === status)?.n ?? 0;
  const stats = db.get<{
    attempts_succeeded: number;
    attempts_failed: number;
    last_success_at: number | null;
    last_failure_at: number | null;
  }>('SELECT * FROM endpoint_stats WHERE endpoint_id = ?', id);
  return {
    delivered: count('delivered'),
    failed: count('failed'),
    pending: count('pending') + count('sending'),
    attemptsSucceeded: stats?.attempts_succeeded ?? 0,
    attemptsFailed: stats?.attempts_failed ?? 0,
    lastSuccessAt: stats?.last_success_at ?? null,
    lastFailureAt: stats?.last_failure_at ?? null,
  };
}

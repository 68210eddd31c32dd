import type { Endpoint, EndpointStats } from '../../domain/types.ts';
import type { EndpointPatch, NewEndpoint, Page, PageRequest, SecretRotation } from '../store.ts';
import type { PgDb, Queryable } from './database.ts';
import { pageOf } from './paging.ts';
import { cancelPending } from './queue.ts';
import { type PgEndpointRow, toPgEndpoint } from './rows.ts';

const LIVE = 'deleted_at IS NULL';

export const DISABLE =
  'UPDATE endpoints SET enabled = false, disabled_reason = $1, disabled_at = $2, updated_at = $2 WHERE id = $3';
const ENABLE = `UPDATE endpoints SET disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0,
  consecutive_failed_deliveries = 0, failing_since = NULL, circuit_state = 'closed', circuit_retry_at = NULL,
  circuit_cooldown_ms = NULL WHERE id = $1`;

function columns(endpoint: Omit<NewEndpoint, 'id' | 'orgId'>) {
  return [
    endpoint.name,
    endpoint.url,
    endpoint.eventTypes === null ? null : JSON.stringify(endpoint.eventTypes),
    endpoint.enabled,
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

export async function createEndpoint(
  db: Queryable,
  endpoint: NewEndpoint,
  now: number,
): Promise<Endpoint> {
  const previousSecrets = endpoint.previousSecrets ?? [];
  await db.query(
    `INSERT INTO endpoints (id, org_id, name, url, event_types, enabled, auth, headers, timeout_ms,
       max_concurrency, retry_policy, payload_format, secret, rate_limit_per_second, ordering,
       previous_secrets, disabled_reason, disabled_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
    [
      endpoint.id,
      endpoint.orgId,
      ...columns(endpoint),
      JSON.stringify(previousSecrets),
      endpoint.enabled ? null : 'manual',
      endpoint.enabled ? null : now,
      now,
      now,
    ],
  );
  return (await getEndpoint(db, endpoint.orgId, endpoint.id))!;
}

export async function listEndpoints(
  db: Queryable,
  orgId: string,
  page: PageRequest,
): Promise<Page<Endpoint>> {
  return pageOf(
    db,
    { table: 'endpoints', where: `org_id = $1 AND ${LIVE}`, params: [orgId], map: toPgEndpoint },
    page,
  );
}

export async function getEndpoint(
  db: Queryable,
  orgId: string,
  id: string,
  lock = '',
): Promise<Endpoint | undefined> {
  const { rows } = await db.query<PgEndpointRow>(
    `SELECT * FROM endpoints WHERE org_id = $1 AND id = $2 AND ${LIVE} ${lock}`,
    [orgId, id],
  );
  return rows[0] && toPgEndpoint(rows[0]);
}

/** Every live, enabled endpoint of an organization (ingest filters them by subscription). */
export async function enabledEndpoints(db: Queryable, orgId: string): Promise<Endpoint[]> {
  const { rows } = await db.query<PgEndpointRow>(
    `SELECT * FROM endpoints WHERE org_id = $1 AND enabled AND ${LIVE}`,
    [orgId],
  );
  return rows.map(toPgEndpoint);
}

export async function updateEndpoint(
  db: PgDb,
  orgId: string,
  id: string,
  patch: EndpointPatch,
  now: number,
): Promise<Endpoint | undefined> {
  const updated = await db.transaction(async (tx) => {
    // FOR NO KEY UPDATE: the same lock a claim takes on the endpoint, so a
    // disable waits for a claim in progress and the claim then sees it disabled.
    const current = await getEndpoint(tx, orgId, id, 'FOR NO KEY UPDATE');
    if (!current) return undefined;
    const next: Endpoint = { ...current, ...patch, updatedAt: now };
    await tx.query(
      `UPDATE endpoints SET name = $1, url = $2, event_types = $3, enabled = $4, auth = $5, headers = $6,
         timeout_ms = $7, max_concurrency = $8, retry_policy = $9, payload_format = $10, secret = $11,
         rate_limit_per_second = $12, ordering = $13, updated_at = $14
       WHERE id = $15`,
      [...columns(next), now, id],
    );
    if (current.enabled && !next.enabled) {
      await tx.query(DISABLE, ['manual', now, id]);
      await cancelPending(tx, id, now);
    }
    // Re-enabling is an operator's word that the receiver is fixed: start healthy.
    if (!current.enabled && next.enabled) await tx.query(ENABLE, [id]);
    return getEndpoint(tx, orgId, id);
  });
  // Re-enabled, or more concurrency allowed: other nodes may have work to claim now.
  if (updated?.enabled) db.due.soon();
  return updated;
}

export function rotateEndpointSecret(
  db: PgDb,
  orgId: string,
  id: string,
  rotation: SecretRotation,
  now: number,
): Promise<Endpoint | undefined> {
  return db.transaction(async (tx) => {
    // Locked: two rotations at once must not both start from the same previous secrets.
    const current = await getEndpoint(tx, orgId, id, 'FOR NO KEY UPDATE');
    if (!current) return undefined;
    const previousSecrets = [
      ...current.previousSecrets,
      { secret: current.secret, expiresAt: rotation.previousExpiresAt },
    ].filter((previous) => previous.expiresAt > now && previous.secret !== rotation.secret);
    await tx.query(
      'UPDATE endpoints SET secret = $1, previous_secrets = $2, updated_at = $3 WHERE id = $4',
      [rotation.secret, JSON.stringify(previousSecrets), now, id],
    );
    return { ...current, secret: rotation.secret, previousSecrets, updatedAt: now };
  });
}

export function deleteEndpoint(db: PgDb, orgId: string, id: string, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const changed = await tx.query(
      `UPDATE endpoints SET deleted_at = $1, enabled = false WHERE org_id = $2 AND id = $3 AND ${LIVE}`,
      [now, orgId, id],
    );
    if (changed.rowCount === 0) return false;
    await cancelPending(tx, id, now);
    return true;
  });
}

/**
 * One count per index: settled deliveries by (endpoint, status), pending and
 * sending ones by their own partial indexes (migration 0060).
 */
const DELIVERY_COUNTS = `SELECT
  (SELECT count(*) FROM deliveries WHERE endpoint_id = $1 AND status = 'delivered') AS delivered,
  (SELECT count(*) FROM deliveries WHERE endpoint_id = $1 AND status = 'failed') AS failed,
  (SELECT count(*) FROM deliveries WHERE endpoint_id = $1 AND status = 'pending')
    + (SELECT count(*) FROM deliveries WHERE endpoint_id = $1 AND status = 'sending') AS pending`;

export async function endpointStats(db: Queryable, id: string): Promise<EndpointStats> {
  const { rows: counts } = await db.query<{ delivered: number; failed: number; pending: number }>(
    DELIVERY_COUNTS,
    [id],
  );
  const { rows } = await db.query<{
    attempts_succeeded: number;
    attempts_failed: number;
    last_success_at: number | null;
    last_failure_at: number | null;
  }>('SELECT * FROM endpoint_stats WHERE endpoint_id = $1', [id]);
  const stats = rows[0];
  return {
    ...counts[0]!,
    attemptsSucceeded: stats?.attempts_succeeded ?? 0,
    attemptsFailed: stats?.attempts_failed ?? 0,
    lastSuccessAt: stats?.last_success_at ?? null,
    lastFailureAt: stats?.last_failure_at ?? null,
  };
}

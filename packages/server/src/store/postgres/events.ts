import { newId } from '../../domain/ids.ts';
import { subscribes } from '../../domain/subscription.ts';
import type { Endpoint, HeraldEvent } from '../../domain/types.ts';
import type { IngestInput, IngestResult, Page, PageRequest } from '../store.ts';
import type { PgDb, Queryable } from './database.ts';
import { enabledEndpoints } from './endpoints.ts';
import { pageOf } from './paging.ts';
import { type EventRow, toEvent } from './rows.ts';

const UNIQUE_VIOLATION = '23505';

/**
 * The hot path of ingest, for events without an idempotency key: two round
 * trips and no explicit transaction. The endpoints are read first (matching a
 * subscription is domain code), then one statement inserts the event and its
 * deliveries atomically; it re-checks that each endpoint is still enabled,
 * in case one was disabled in between. The nodes are notified after commit.
 */
const INGEST = `
  WITH event AS (
    INSERT INTO events (id, org_id, type, payload, idempotency_key, created_at)
    VALUES ($1, $2, $3, $4, NULL, $5)
  ), fanout AS (
    INSERT INTO deliveries (id, org_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at, updated_at)
    SELECT t.id, $2, $1, t.endpoint_id, $3, 'pending', $5, $5, $5
    FROM unnest($6::text[], $7::text[]) AS t (id, endpoint_id)
    JOIN endpoints e ON e.id = t.endpoint_id AND e.enabled AND e.deleted_at IS NULL
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM fanout`;

export async function ingest(db: PgDb, input: IngestInput): Promise<IngestResult> {
  const { event, onlyEndpointId } = input;
  if (event.idempotencyKey === null) {
    const targets = matching(await enabledEndpoints(db, event.orgId), event, onlyEndpointId);
    const { rows } = await db.query<{ n: number }>(INGEST, [
      event.id,
      event.orgId,
      event.type,
      event.payloadJson,
      event.createdAt,
      targets.map(() => newId('dlv', event.createdAt)),
      targets.map((endpoint) => endpoint.id),
    ]);
    if (rows[0].n > 0) db.due.soon();
    return { event, deliveries: rows[0].n, duplicate: false };
  }
  const result = await ingestKeyed(db, input);
  if (!result.duplicate && result.deliveries > 0) db.due.soon();
  return result;
}

async function ingestKeyed(db: PgDb, input: IngestInput): Promise<IngestResult> {
  try {
    return await db.transaction((tx) => ingestOnce(tx, input));
  } catch (error) {
    // Two nodes took the same new idempotency key at once: the loser runs
    // again and now finds the winner's event.
    if (
      (error as { code?: string }).code !== UNIQUE_VIOLATION ||
      input.event.idempotencyKey === null
    )
      throw error;
    return db.transaction((tx) => ingestOnce(tx, input));
  }
}

/** The ingest inside a transaction the caller already holds. */
export async function ingestOnce(
  tx: Queryable,
  { event, onlyEndpointId, idempotencyWindowMs }: IngestInput,
): Promise<IngestResult> {
  if (event.idempotencyKey !== null) {
    const { rows } = await tx.query<EventRow>(
      'SELECT * FROM events WHERE org_id = $1 AND idempotency_key = $2 FOR UPDATE',
      [event.orgId, event.idempotencyKey],
    );
    const earlier = rows[0];
    if (earlier && earlier.created_at > event.createdAt - idempotencyWindowMs) {
      const { rows: count } = await tx.query<{ n: number }>(
        'SELECT count(*) AS n FROM deliveries WHERE event_id = $1',
        [earlier.id],
      );
      return { event: toEvent(earlier), deliveries: count[0].n, duplicate: true };
    }
    // The key is free again once its window has passed: the old event lets go of it.
    if (earlier)
      await tx.query('UPDATE events SET idempotency_key = NULL WHERE id = $1', [earlier.id]);
  }
  await tx.query(
    'INSERT INTO events (id, org_id, type, payload, idempotency_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [event.id, event.orgId, event.type, event.payloadJson, event.idempotencyKey, event.createdAt],
  );
  const targets = matching(await enabledEndpoints(tx, event.orgId), event, onlyEndpointId);
  if (targets.length > 0) {
    // One statement for every delivery of the event, however many endpoints match.
    await tx.query(
      `INSERT INTO deliveries (id, org_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at, updated_at)
       SELECT t.id, $3, $4, t.endpoint_id, $5, 'pending', $6, $6, $6
       FROM unnest($1::text[], $2::text[]) AS t (id, endpoint_id)`,
      [
        targets.map(() => newId('dlv', event.createdAt)),
        targets.map((endpoint) => endpoint.id),
        event.orgId,
        event.id,
        event.type,
        event.createdAt,
      ],
    );
  }
  return { event, deliveries: targets.length, duplicate: false };
}

function matching(endpoints: Endpoint[], event: HeraldEvent, onlyEndpointId?: string) {
  return endpoints.filter((endpoint) =>
    onlyEndpointId === undefined
      ? subscribes(endpoint, event.type)
      : endpoint.id === onlyEndpointId,
  );
}

export async function listEvents(
  db: Queryable,
  orgId: string,
  filter: { type?: string },
  page: PageRequest,
): Promise<Page<HeraldEvent>> {
  return pageOf(
    db,
    {
      table: 'events',
      where: 'org_id = $1 AND ($2::text IS NULL OR type = $2)',
      params: [orgId, filter.type ?? null],
      map: toEvent,
    },
    page,
  );
}

export async function getEvent(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<HeraldEvent | undefined> {
  const { rows } = await db.query<EventRow>('SELECT * FROM events WHERE org_id = $1 AND id = $2', [
    orgId,
    id,
  ]);
  return rows[0] && toEvent(rows[0]);
}

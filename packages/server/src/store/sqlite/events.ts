import { newId } from '../../domain/ids.ts';
import { subscribes } from '../../domain/subscription.ts';
import type { HeraldEvent } from '../../domain/types.ts';
import type { IngestInput, IngestResult, Page, PageRequest } from '../store.ts';
import type { Db } from './database.ts';
import { pageOf } from './paging.ts';
import { type EventRow, toEvent } from './rows.ts';

/**
 * The organization's live, enabled endpoints, with only what fan-out reads:
 * every ingest runs this, and whole endpoint rows (credentials, headers,
 * health) cost a dozen JSON parses each for nothing.
 */
function fanOutCandidates(db: Db, orgId: string) {
  return db
    .all<{ id: string; event_types: string | null }>(
      'SELECT id, event_types FROM endpoints WHERE org_id = ? AND enabled = 1 AND deleted_at IS NULL',
      orgId,
    )
    .map((row) => ({
      id: row.id,
      enabled: true,
      eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as string[]),
    }));
}

export function ingest(
  db: Db,
  { event, onlyEndpointId, idempotencyWindowMs }: IngestInput,
): IngestResult {
  return db.transaction(() => {
    if (event.idempotencyKey !== null) {
      const earlier = db.get<EventRow>(
        'SELECT * FROM events WHERE org_id = ? AND idempotency_key = ?',
        event.orgId,
        event.idempotencyKey,
      );
      if (earlier && earlier.created_at > event.createdAt - idempotencyWindowMs) {
        const { n } = db.get<{ n: number }>(
          'SELECT count(*) AS n FROM deliveries WHERE event_id = ?',
          earlier.id,
        )!;
        return { event: toEvent(earlier), deliveries: n, duplicate: true };
      }
      // The key is free again once its window has passed: the old event lets go of it.
      if (earlier) db.run('UPDATE events SET idempotency_key = NULL WHERE id = ?', earlier.id);
    }
    db.run(
      'INSERT INTO events (id, org_id, type, payload, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      event.id,
      event.orgId,
      event.type,
      event.payloadJson,
      event.idempotencyKey,
      event.createdAt,
    );
    const targets = fanOutCandidates(db, event.orgId).filter((endpoint) =>
      onlyEndpointId === undefined
        ? subscribes(endpoint, event.type)
        : endpoint.id === onlyEndpointId,
    );
    for (const endpoint of targets) {
      db.run(
        `INSERT INTO deliveries (id, org_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
        newId('dlv', event.createdAt),
        event.orgId,
        event.id,
        endpoint.id,
        event.type,
        event.createdAt,
        event.createdAt,
        event.createdAt,
      );
    }
    return { event, deliveries: targets.length, duplicate: false };
  });
}

export function listEvents(
  db: Db,
  orgId: string,
  filter: { type?: string },
  page: PageRequest,
): Page<HeraldEvent> {
  const type = filter.type ?? null;
  return pageOf(
    db,
    {
      table: 'events',
      where: 'org_id = ? AND (? IS NULL OR type = ?)',
      params: [orgId, type, type],
      map: toEvent,
    },
    page,
  );
}

export function getEvent(db: Db, orgId: string, id: string): HeraldEvent | undefined {
  const row = db.get<EventRow>('SELECT * FROM events WHERE org_id = ? AND id = ?', orgId, id);
  return row && toEvent(row);
}

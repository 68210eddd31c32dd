import type { Attempt, Delivery } from '../../domain/types.ts';
import type { DeliveryFilter, Page, PageRequest } from '../store.ts';
import type { Db } from './database.ts';
import { pageOf } from './paging.ts';
import { type AttemptRow, type DeliveryRow, toAttempt, toDelivery } from './rows.ts';

export function listDeliveries(
  db: Db,
  orgId: string,
  filter: DeliveryFilter,
  page: PageRequest,
): Page<Delivery> {
  const where = ['org_id = ?'];
  const params: (string | number)[] = [orgId];
  const add = (clause: string, value: string | number | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    params.push(value);
  };
  add('status = ?', filter.status);
  add('endpoint_id = ?', filter.endpointId);
  add('event_id = ?', filter.eventId);
  add('event_type = ?', filter.eventType);
  add('created_at >= ?', filter.since);
  add('created_at < ?', filter.until);
  return pageOf(
    db,
    { table: 'deliveries', where: where.join(' AND '), params, map: toDelivery },
    page,
  );
}

export function getDelivery(
  db: Db,
  orgId: string,
  id: string,
): (Delivery & { attempts: Attempt[] }) | undefined {
  const row = db.get<DeliveryRow>(
    'SELECT * FROM deliveries WHERE org_id = ? AND id = ?',
    orgId,
    id,
  );
  if (!row) return undefined;
  const attempts = db.all<AttemptRow>(
    'SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number, id',
    id,
  );
  return { ...toDelivery(row), attempts: attempts.map(toAttempt) };
}

// An operator's retry ends an open breaker's cool-down (domain/endpoint-health.ts).
const END_COOLDOWN = `UPDATE endpoints SET circuit_retry_at = ?1
  WHERE id = ?2 AND circuit_state = 'open' AND circuit_retry_at > ?1`;

// A FIFO endpoint sends its head first, so a retry, which asks for an attempt
// now, brings the head's own retry forward too: otherwise neither would go
// before the head's time, probe included.
const HEAD_DUE_NOW = `UPDATE deliveries SET next_attempt_at = ?1, updated_at = ?1
  WHERE id = (SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
              WHERE d.endpoint_id = ?2 AND e.ordering = 'fifo' AND d.status = 'pending'
              ORDER BY d.id LIMIT 1)
    AND next_attempt_at > ?1`;

export function retryDelivery(
  db: Db,
  orgId: string,
  id: string,
  now: number,
): Delivery | undefined | 'sending' {
  return db.transaction(() => {
    const row = db.get<DeliveryRow>(
      'SELECT * FROM deliveries WHERE org_id = ? AND id = ?',
      orgId,
      id,
    );
    if (!row) return undefined;
    if (row.status === 'sending') return 'sending';
    const updated = db.get<DeliveryRow>(
      "UPDATE deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ? RETURNING *",
      now,
      now,
      id,
    )!;
    db.run(END_COOLDOWN, now, row.endpoint_id);
    db.run(HEAD_DUE_NOW, now, row.endpoint_id);
    return toDelivery(updated);
  });
}

export function recoverEndpoint(db: Db, endpointId: string, since: number, now: number): number {
  return Number(
    db.run(
      "UPDATE deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE endpoint_id = ? AND status = 'failed' AND created_at >= ?",
      now,
      now,
      endpointId,
      since,
    ).changes,
  );
}

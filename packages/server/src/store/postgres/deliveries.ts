import type { Attempt, Delivery } from '../../domain/types.ts';
import type { DeliveryFilter, Page, PageRequest } from '../store.ts';
import type { PgDb, Queryable } from './database.ts';
import { pageOf } from './paging.ts';
import { AGE_ORDERED, BY_AGE } from './queue.ts';
import { type AttemptRow, type DeliveryRow, toAttempt, toDelivery } from './rows.ts';

export async function listDeliveries(
  db: Queryable,
  orgId: string,
  filter: DeliveryFilter,
  page: PageRequest,
): Promise<Page<Delivery>> {
  const params: (string | number)[] = [orgId];
  const where = ['org_id = $1'];
  const add = (column: string, value: string | number | undefined, op = '=') => {
    if (value === undefined) return;
    params.push(value);
    where.push(`${column} ${op} $${params.length}`);
  };
  add('status', filter.status);
  add('endpoint_id', filter.endpointId);
  add('event_id', filter.eventId);
  add('event_type', filter.eventType);
  add('created_at', filter.since, '>=');
  add('created_at', filter.until, '<');
  return pageOf(
    db,
    { table: 'deliveries', where: where.join(' AND '), params, map: toDelivery },
    page,
  );
}

export async function getDelivery(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<(Delivery & { attempts: Attempt[] }) | undefined> {
  const { rows } = await db.query<DeliveryRow>(
    'SELECT * FROM deliveries WHERE org_id = $1 AND id = $2',
    [orgId, id],
  );
  if (!rows[0]) return undefined;
  const { rows: attempts } = await db.query<AttemptRow>(
    'SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY number, id',
    [id],
  );
  return { ...toDelivery(rows[0]), attempts: attempts.map(toAttempt) };
}

// An operator's retry ends an open breaker's cool-down (domain/endpoint-health.ts).
const END_COOLDOWN = `UPDATE endpoints SET circuit_retry_at = $1
  WHERE id = $2 AND circuit_state = 'open' AND circuit_retry_at > $1`;

// A FIFO endpoint sends its head first, so a retry, which asks for an attempt
// now, brings the head's own retry forward too: otherwise neither would go
// before the head's time, probe included.
const HEAD_DUE_NOW = `UPDATE deliveries SET next_attempt_at = $1, updated_at = $1
  WHERE id = (SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
              WHERE d.endpoint_id = $2 AND e.ordering = 'fifo' AND ${AGE_ORDERED}
              ORDER BY ${BY_AGE} LIMIT 1)
    AND status = 'pending' AND next_attempt_at > $1`;

export async function retryDelivery(
  db: PgDb,
  orgId: string,
  id: string,
  now: number,
): Promise<Delivery | undefined | 'sending'> {
  const result = await db.transaction(async (tx) => {
    const { rows } = await tx.query<DeliveryRow>(
      'SELECT * FROM deliveries WHERE org_id = $1 AND id = $2 FOR UPDATE',
      [orgId, id],
    );
    if (!rows[0]) return undefined;
    if (rows[0].status === 'sending') return 'sending';
    const { rows: updated } = await tx.query<DeliveryRow>(
      "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, updated_at = $1 WHERE id = $2 RETURNING *",
      [now, id],
    );
    return toDelivery(updated[0]);
  });
  if (!result || result === 'sending') return result;
  // After the commit, not inside: holding the delivery's row lock while waiting
  // for the endpoint's would invert the order claims and health take them in.
  await db.query(END_COOLDOWN, [now, result.endpointId]);
  await db.query(HEAD_DUE_NOW, [now, result.endpointId]);
  db.due.soon();
  return result;
}

export async function recoverEndpoint(
  db: PgDb,
  endpointId: string,
  since: number,
  now: number,
): Promise<number> {
  const { rowCount } = await db.query(
    "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, updated_at = $1 WHERE endpoint_id = $2 AND status = 'failed' AND created_at >= $3",
    [now, endpointId, since],
  );
  if (rowCount) db.due.soon();
  return rowCount ?? 0;
}

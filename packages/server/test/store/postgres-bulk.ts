import type pg from 'pg';

let batches = 0;

/**
 * Writes `count` deliveries (one event each, and one attempt each if settled)
 * in a few statements, spread round robin over `endpointIds`: tens of
 * thousands in well under a second, where the ingest path takes seconds. Each call's ids sort after the previous
 * call's, as time-ordered ids would, and are as long as Herald's: key width
 * sets index sizes, which decide between plans the planner rates alike.
 */
export async function addDeliveries(
  client: pg.ClientBase,
  {
    orgId,
    endpointIds,
    count,
    status,
    at,
    dueAt,
  }: {
    orgId: string;
    endpointIds: string[];
    count: number;
    status: 'pending' | 'delivered' | 'failed';
    /** created_at of the first, the next ones 1 ms apart; a settled one's attempt started then. */
    at: number;
    /** When pending ones are due: all at once, as a burst's often are, or each when created. */
    dueAt?: number;
  },
): Promise<void> {
  const batch = String(batches++).padStart(4, '0');
  await client.query(
    `INSERT INTO events (id, org_id, type, payload, created_at)
     SELECT 'evt_' || $1::text || lpad(n::text, 22, '0'), $2, 'certificate_completed', '{}', $3::bigint + n
     FROM generate_series(1, $4::int) AS n`,
    [batch, orgId, at, count],
  );
  await client.query(
    `INSERT INTO deliveries (id, org_id, event_id, endpoint_id, event_type, status, attempt_count,
       next_attempt_at, created_at, updated_at)
     SELECT 'dlv_' || $1::text || lpad(n::text, 22, '0'), $2, 'evt_' || $1::text || lpad(n::text, 22, '0'),
       ($5::text[])[1 + n % cardinality($5::text[])], 'certificate_completed', $6::text,
       CASE WHEN $6 = 'pending' THEN 0 ELSE 1 END,
       CASE WHEN $6 = 'pending' THEN coalesce($7::bigint, $3::bigint + n) END, $3::bigint + n, $3::bigint + n
     FROM generate_series(1, $4::int) AS n`,
    [batch, orgId, at, count, endpointIds, status, dueAt ?? null],
  );
  if (status === 'pending') return;
  await client.query(
    `INSERT INTO attempts (id, delivery_id, endpoint_id, number, started_at, duration_ms, status_code)
     SELECT 'atm_' || $1::text || lpad(n::text, 22, '0'), 'dlv_' || $1::text || lpad(n::text, 22, '0'),
       ($4::text[])[1 + n % cardinality($4::text[])], 1, $2::bigint + n, 12, 200
     FROM generate_series(1, $3::int) AS n`,
    [batch, at, count, endpointIds],
  );
}

/**
 * Writes `count` enabled endpoints of `orgId` in one statement. Their ids are
 * as long as Herald's, half sorting before and half after the ids newId gives
 * today's endpoints, so that endpoints from the store sit among them.
 */
export async function addEndpoints(
  client: pg.ClientBase,
  { orgId, count, at }: { orgId: string; count: number; at: number },
): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO endpoints (id, org_id, name, url, enabled, headers, timeout_ms, max_concurrency,
       retry_policy, payload_format, secret, created_at, updated_at)
     SELECT 'ep_' || CASE WHEN n % 2 = 0 THEN '00' ELSE 'ZZ' END || lpad(n::text, 24, '0'), $1,
       'Idle', 'https://hooks.example.com/idle', true, '{}', 5000, 10, 'standard', 'raw', 'whsec_idle', $2, $2
     FROM generate_series(1, $3::int) AS n
     RETURNING id`,
    [orgId, at, count],
  );
  return rows.map((row) => row.id);
}

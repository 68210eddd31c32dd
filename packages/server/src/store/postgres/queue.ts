import { isSuccess } from '../../domain/attempt-outcome.ts';
import {
  afterClaim,
  claimableAt,
  movesEndpoint,
  planClaim,
  RATE_WINDOW_MS,
} from '../../domain/claim-plan.ts';
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from '../../domain/endpoint-health.ts';
import type { EndpointCache } from '../endpoint-cache.ts';
import { toCandidate, type WaitingRow } from '../sqlite/rows.ts';
import type { AttemptRecord, ClaimedDelivery, ClaimRequest } from '../store.ts';
import type { Batch, Statement } from './batch.ts';
import { type PgDb, prepared, type Queryable } from './database.ts';
import { applyHealthOf, needsHealth, recordStatement } from './record.ts';
import { type EventRow, type PgEndpointRow, toEvent } from './rows.ts';

// Named columns, not `*`: these statements are prepared once per connection
// (`prepared`), and a prepared `*` fails ("cached plan must not change result
// type") once a newer node's migration adds a column during a rolling upgrade.
const ENDPOINT_COLUMNS = [
  'id',
  'org_id',
  'name',
  'url',
  'event_types',
  'enabled',
  'auth',
  'headers',
  'timeout_ms',
  'max_concurrency',
  'retry_policy',
  'payload_format',
  'secret',
  'previous_secrets',
  'created_at',
  'updated_at',
  'rate_limit_per_second',
  'ordering',
  'disabled_reason',
  'disabled_at',
  'consecutive_failures',
  'consecutive_failed_deliveries',
  'failing_since',
  'circuit_state',
  'circuit_retry_at',
  'circuit_cooldown_ms',
  'rate_window_start',
  'rate_window_count',
]
  .map((column) => `e.${column}`)
  .join(', ');
const EVENT_COLUMNS = 'ev.id, ev.org_id, ev.type, ev.payload, ev.idempotency_key, ev.created_at';

/**
 * The pending deliveries of an endpoint in age order (`ORDER BY ${BY_AGE}`),
 * for the oldest-first queries (FIFO heads). The always-true
 * attempt_count clause matches the predicate of the index by age, which no
 * due-time query states, so the planner can never pick it for those (0060).
 * The order names the collation of that index, POSIX: the byte order of the
 * ids' own C collation under another name, which no other index has. In plain
 * id order, the primary key gives it too, and a planner whose statistics
 * predate a drain walked it past every settled delivery ahead of the first
 * pending one (10,000 rows an endpoint, 3.7–7.5 ms a claim; migration 0071).
 */
export const AGE_ORDERED = "d.status = 'pending' AND d.attempt_count >= 0";
export const BY_AGE = 'd.id COLLATE "POSIX"';

const SENDING_COUNT = `(SELECT count(*) FROM deliveries s WHERE s.endpoint_id = e.id AND s.status = 'sending')`;

/** The due time of an endpoint's oldest pending delivery: a FIFO endpoint's head. */
const HEAD_DUE_AT = `(SELECT d.next_attempt_at FROM deliveries d WHERE d.endpoint_id = e.id AND ${AGE_ORDERED}
  ORDER BY ${BY_AGE} LIMIT 1)`;

/**
 * An endpoint's earliest pending due time, written as ORDER BY … LIMIT 1 rather
 * than min(): with either, two partial indexes can answer, and min() lets the
 * planner pick the one by age (endpoint_id, id) whenever its row estimate is
 * low (a queue filled since the last ANALYZE): it then reads every pending row
 * of the endpoint, 12–30 ms at 3,000 instead of 0.2. Asking for the order makes
 * the index by due time the only plan without a sort.
 */
const EARLIEST_DUE = `SELECT d.next_attempt_at FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending'
  ORDER BY d.next_attempt_at LIMIT 1`;

/**
 * The endpoints that have a pending delivery, in id order, one index seek
 * each: a loose scan of the index by due time, jumping from one endpoint's
 * entries to the next one's. Claims and the worker's sleep start from these,
 * so their cost follows the endpoints with work, not every endpoint of every
 * organization: with 10,000 idle ones, reading each took 18 ms a query. The
 * seeks state status = 'pending' and nothing else, like EARLIEST_DUE: the
 * index by age stays out (its attempt_count clause, migration 0060), and the
 * index of every delivery by endpoint (0061), which would walk through each
 * idle endpoint's history, is rated above the partial one that holds the
 * queue only (postgres-claim-plan.test.ts checks both). Each seek asks for
 * the due-time order too: with statistics taken while the whole queue was
 * pending, the planner rates that index of every delivery as good as the
 * queue's for a seek by endpoint alone, and it then reads the delivered rows
 * ahead of an endpoint's first pending one: 9,650 rows and 2.5 ms a claim
 * midway through a 20,000-delivery drain. Only the index by due time gives
 * that order. The last row is NULL, the end of the scan.
 */
const BUSY_ENDPOINTS = `
  busy (id) AS (
    (SELECT d.endpoint_id FROM deliveries d WHERE d.status = 'pending' ORDER BY d.endpoint_id, d.next_attempt_at LIMIT 1)
    UNION ALL
    SELECT (SELECT d.endpoint_id FROM deliveries d WHERE d.status = 'pending' AND d.endpoint_id > busy.id
            ORDER BY d.endpoint_id, d.next_attempt_at LIMIT 1)
    FROM busy WHERE busy.id IS NOT NULL
  )`;

/**
 * The busy endpoints' ids as one array, for lookups by primary key. Joined to
 * the CTE instead, the endpoints table was read whole into a hash: the planner
 * rates a recursive CTE at ~100 rows whatever it yields, and a scan of 2,000
 * endpoints beat 100 lookups. An array of unknown length it rates at 10.
 */
const BUSY_IDS = 'ARRAY(SELECT id FROM busy)';

/**
 * Step 1 of a claim: lock the endpoints planClaim would take something from:
 * a due delivery (a FIFO endpoint's head), a closed breaker or an open one
 * whose cool-down is over, a rate window not used up, and a free slot (none
 * in flight for a probe or a FIFO head). The lock takes at most as many
 * endpoints as the claim has room for, so an endpoint it would skip must not
 * take one: a worker with one free slot locked a FIFO endpoint whose head
 * was not due, claimed nothing and, told by nextDueAt that another endpoint
 * was due, looked again at once, spinning until the head came due. FOR NO KEY
 * UPDATE serializes claimers per endpoint across every node (it does not
 * block ingest, whose foreign keys take only KEY SHARE); SKIP LOCKED sends a
 * node on to other endpoints instead of waiting. The locked rows are their
 * latest versions, so the breaker and rate-window columns read here are
 * exact. Only the endpoints with a pending delivery are read (BUSY_ENDPOINTS).
 */
export const LOCK_ENDPOINTS = `
  WITH RECURSIVE ${BUSY_ENDPOINTS}
  SELECT ${ENDPOINT_COLUMNS}, ${SENDING_COUNT} AS sending
  FROM endpoints e CROSS JOIN LATERAL (${EARLIEST_DUE}) AS due (due_at)
  WHERE e.id = ANY (${BUSY_IDS}) AND e.enabled AND e.deleted_at IS NULL
    AND due.due_at <= $1 AND (e.circuit_state = 'closed' OR e.circuit_retry_at <= $1)
    AND (e.ordering <> 'fifo' OR ${HEAD_DUE_AT} <= $1)
    AND (e.rate_limit_per_second IS NULL OR e.rate_window_count < e.rate_limit_per_second
      OR e.rate_window_start IS NULL OR e.rate_window_start < $1 - $1 % ${RATE_WINDOW_MS})
    AND ${SENDING_COUNT} < CASE WHEN e.circuit_state = 'closed' AND e.ordering <> 'fifo' THEN e.max_concurrency ELSE 1 END
  ORDER BY due.due_at, e.id
  LIMIT $2
  FOR NO KEY UPDATE OF e SKIP LOCKED`;

/**
 * Step 2, a new statement and so a new snapshot taken after the locks were
 * granted: it sees every claim committed by whoever held them before, so the
 * count of sending rows is exact. planClaim's take (rate window, breaker, FIFO)
 * is capped here by that exact count: maxConcurrency holds cluster-wide, and a
 * plan that goes alone (a probe, a FIFO head) goes only when nothing is in flight.
 * The oldest-first branch waits for row locks instead of skipping them: under
 * the endpoint lock no claimer competes, and skipping a FIFO head would break
 * the order.
 *
 * It runs its generic plan (Batch's `generic`): PostgreSQL kept re-planning
 * it, 0.5–0.9 ms of a 3.9 ms cycle on the server, because the generic plan
 * was worse. Not knowing the LIMITs, that plan rates `due` at a tenth of the
 * queue (290 rows for 50), and UPDATE … FROM due then joined it to a
 * sequential scan of deliveries: 20,000 rows, 8 ms. The UPDATE now finds its
 * rows by id in an array, which the planner rates at 10 (as BUSY_IDS), so
 * it looks them up by primary key, and the events by theirs.
 */
export const CLAIM = `
  WITH plan AS (
    SELECT * FROM unnest($1::text[], $5::int[], $6::bool[], $7::bool[]) AS p (endpoint_id, take, oldest, alone)
  ), counted AS (
    SELECT e.id, e.timeout_ms, e.max_concurrency, p.take, p.oldest, p.alone, ${SENDING_COUNT} AS sending
    FROM plan p JOIN endpoints e ON e.id = p.endpoint_id
  ), slots AS (
    SELECT id, timeout_ms, oldest,
      least(take, CASE WHEN alone THEN CASE WHEN sending = 0 THEN 1 ELSE 0 END ELSE max_concurrency - sending END) AS free
    FROM counted
  ), by_time AS (
    SELECT d.id, d.event_id, d.next_attempt_at, s.timeout_ms FROM slots s CROSS JOIN LATERAL (
      SELECT d.id, d.event_id, d.next_attempt_at FROM deliveries d
      WHERE NOT s.oldest AND d.endpoint_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= $2
      ORDER BY d.next_attempt_at, d.id
      LIMIT greatest(s.free, 0)
      FOR UPDATE SKIP LOCKED
    ) d
  ), by_age AS (
    SELECT d.id, d.event_id, d.next_attempt_at, s.timeout_ms FROM slots s CROSS JOIN LATERAL (
      SELECT d.id, d.event_id, d.next_attempt_at FROM deliveries d
      WHERE s.oldest AND d.endpoint_id = s.id AND ${AGE_ORDERED}
      ORDER BY ${BY_AGE}
      LIMIT greatest(s.free, 0)
      FOR UPDATE
    ) d
    WHERE d.next_attempt_at <= $2
  ), due AS (
    SELECT * FROM by_time UNION ALL SELECT * FROM by_age
    ORDER BY next_attempt_at, id
    LIMIT $3
  )
  UPDATE deliveries d
  SET status = 'sending', lease_expires_at = $2 + due.timeout_ms + $4, updated_at = $2
  FROM due JOIN events ev ON ev.id = due.event_id
  WHERE d.id = ANY (ARRAY(SELECT id FROM due)) AND d.id = due.id
  RETURNING d.id AS delivery_id, d.attempt_count, d.endpoint_id, d.lease_expires_at, due.next_attempt_at AS due_at,
    ${EVENT_COLUMNS}`;

// Claims are the most frequent write. Not waiting for their WAL flush halves
// their cost; a claim lost in a database crash only means the delivery is sent
// again, which at-least-once delivery allows.
const CLAIM_COMMIT = { asyncCommit: true };

/** Step 3, only for endpoints whose rate window or breaker the claim moved. */
const CLAIM_STATE = `
  UPDATE endpoints e SET rate_window_start = s.rate_window_start, rate_window_count = s.rate_window_count,
    circuit_state = s.circuit_state, circuit_retry_at = s.circuit_retry_at
  FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::bigint[])
    AS s (id, rate_window_start, rate_window_count, circuit_state, circuit_retry_at)
  WHERE e.id = s.id`;

type LockedRow = PgEndpointRow & { sending: number };

export type ClaimEndpoints = EndpointCache<PgEndpointRow>;

export function claimDue(
  db: PgDb,
  request: ClaimRequest,
  cache: ClaimEndpoints,
): Promise<ClaimedDelivery[]> {
  return db.transaction((batch) => claimIn(batch, request, cache), CLAIM_COMMIT);
}

/**
 * Records the batch, folds it into endpoint health and claims what is due, in
 * one transaction: one connection checkout and one commit per worker cycle.
 * The records need a durable commit, so the claim shares it. Health locks are
 * taken before the claim's, both in id order. When every attempt succeeded,
 * the lock step travels with the record (two round trips in all, see Batch);
 * if the record then finds an endpoint whose health it must reset, that
 * transaction is rolled back and the cycle runs step by step instead (three
 * or more round trips), so those locks still come first.
 */
export async function recordAndClaim(
  db: PgDb,
  records: AttemptRecord[],
  now: number,
  policy: HealthPolicy = DEFAULT_HEALTH_POLICY,
  request: ClaimRequest,
  cache: ClaimEndpoints,
): Promise<ClaimedDelivery[]> {
  if (records.length > 0 && request.limit > 0 && records.every((r) => isSuccess(r.result))) {
    const claims = await db.transaction(async (batch) => {
      const record = recordStatement(records, now);
      const [recorded, locked] = await batch.run([record, lockStatement(request)]);
      if (needsHealth(records, recorded!.rows).size === 0)
        return claimLocked(batch, locked!.rows, request, cache);
      await batch.rollback();
      return undefined;
    });
    if (claims) return claims;
  }
  let due = false;
  const claims = await db.transaction(async (batch) => {
    if (records.length > 0) {
      const [{ rows }] = await batch.run([recordStatement(records, now)]);
      const attention = needsHealth(records, rows);
      due = attention.size > 0 && (await applyHealthOf(batch, attention, records, now, policy));
    }
    return request.limit > 0 ? claimIn(batch, request, cache) : [];
  });
  if (due) db.due.soon();
  return claims;
}

type ClaimedRow = EventRow & {
  delivery_id: string;
  attempt_count: number;
  endpoint_id: string;
  lease_expires_at: number;
  due_at: number;
};

/**
 * `due`'s order (due time, then id: the oldest first), which RETURNING does
 * not promise: its rows come in whatever order the UPDATE's plan produces
 * them, and a backlog a breaker released (all due at once) goes oldest
 * first. Ids compare in code points, like the C collation of the id columns.
 */
const byDue = (a: ClaimedRow, b: ClaimedRow) =>
  a.due_at - b.due_at ||
  (a.delivery_id < b.delivery_id ? -1 : a.delivery_id > b.delivery_id ? 1 : 0);

const lockStatement = ({ now, limit }: ClaimRequest): Statement => ({
  name: 'herald_batch_lock_endpoints',
  text: LOCK_ENDPOINTS,
  values: [now, limit],
});

/** claimDue's work, inside the caller's batch, which it commits when it can. */
async function claimIn(
  batch: Batch,
  request: ClaimRequest,
  cache: ClaimEndpoints,
): Promise<ClaimedDelivery[]> {
  const [locked] = await batch.run([lockStatement(request)]);
  return claimLocked(batch, locked!.rows, request, cache);
}

/** Steps 2 and 3 of a claim, for the endpoints step 1 locked. */
async function claimLocked(
  batch: Batch,
  locked: LockedRow[],
  { now, limit, leaseMs }: ClaimRequest,
  cache: ClaimEndpoints,
): Promise<ClaimedDelivery[]> {
  const planned = locked
    .map((row) => ({ row, candidate: toCandidate(row) }))
    .map((entry) => ({ ...entry, plan: planClaim(entry.candidate, now) }))
    .filter((entry) => entry.plan.take > 0);
  if (planned.length === 0) return [];
  const claim = {
    name: 'herald_batch_claim',
    text: CLAIM,
    generic: true,
    values: [
      planned.map((p) => p.row.id),
      now,
      limit,
      leaseMs,
      planned.map((p) => Math.min(p.plan.take, limit)),
      planned.map((p) => p.plan.pick === 'oldest'),
      planned.map((p) => p.plan.probe || p.plan.pick === 'oldest'),
    ],
  };
  // Without a rate window or a probe to write back, the claim is the last statement.
  const last = !planned.some((p) => movesEndpoint(p.candidate, p.plan));
  const [claimed] = await batch.run([claim], { commit: last });
  const rows: ClaimedRow[] = claimed!.rows.sort(byDue);
  const endpoints = new Map(
    planned.map(({ row: { sending: _, ...row } }) => [row.id, cache.get(row.id, row)]),
  );
  const taken = new Map<string, number>();
  for (const row of rows) taken.set(row.endpoint_id, (taken.get(row.endpoint_id) ?? 0) + 1);
  const states = planned.flatMap(({ row, candidate, plan }) => {
    const leaseUntil = now + row.timeout_ms + leaseMs;
    const state = afterClaim(candidate, plan, taken.get(row.id) ?? 0, now, leaseUntil);
    return state ? [{ id: row.id, ...state }] : [];
  });
  if (states.length > 0) {
    const values = [
      states.map((s) => s.id),
      states.map((s) => s.rateWindowStart),
      states.map((s) => s.rateWindowCount),
      states.map((s) => s.circuit),
      states.map((s) => s.circuitRetryAt),
    ];
    await batch.run([{ name: 'herald_batch_claim_state', text: CLAIM_STATE, values }], {
      commit: true,
    });
  }
  return rows.map((row) => ({
    deliveryId: row.delivery_id,
    attemptNumber: row.attempt_count + 1,
    event: toEvent(row),
    endpoint: endpoints.get(row.endpoint_id)!,
    leaseUntil: row.lease_expires_at,
  }));
}

/**
 * Cancels pending deliveries of disabled or deleted endpoints. An ingest
 * reads an endpoint as enabled without waiting for a disable in progress (a
 * lock that would, would also wait for every claim holding the endpoint), so
 * one committed just after the disable's cancel leaves a delivery no claim
 * will take. One index probe per disabled endpoint (the array is rated small).
 */
const CANCEL_ORPHANS = `
  UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = $1
  WHERE endpoint_id = ANY (ARRAY(SELECT id FROM endpoints WHERE NOT enabled OR deleted_at IS NOT NULL))
    AND status = 'pending'`;

/**
 * Puts in-flight deliveries whose lease ended back in the queue, due at `now`,
 * and wakes every node; cancels what an ingest left to a gone endpoint
 * (CANCEL_ORPHANS). Runs on every node; the row locks make each delivery
 * come back once.
 */
export async function releaseExpiredLeases(db: PgDb, now: number): Promise<number> {
  await db.query(CANCEL_ORPHANS, [now]);
  const { rowCount } = await db.query(
    // One whose endpoint was disabled or deleted in flight is cancelled: its
    // queue was, and nothing would ever claim it.
    `UPDATE deliveries d SET lease_expires_at = NULL, updated_at = $1,
       status = CASE WHEN e.enabled AND e.deleted_at IS NULL THEN 'pending' ELSE 'cancelled' END,
       next_attempt_at = CASE WHEN e.enabled AND e.deleted_at IS NULL THEN $1 END
     FROM endpoints e
     WHERE e.id = d.endpoint_id AND d.status = 'sending' AND d.lease_expires_at <= $1`,
    [now],
  );
  if (rowCount) db.due.soon();
  return rowCount ?? 0;
}

export async function cancelPending(
  db: Queryable,
  endpointId: string,
  now: number,
): Promise<number> {
  const { rowCount } = await db.query(
    "UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = $1 WHERE endpoint_id = $2 AND status = 'pending'",
    [now, endpointId],
  );
  return rowCount ?? 0;
}

/**
 * Every endpoint with pending work, with the due time of its earliest and of
 * its oldest pending delivery: claimableAt turns them into the time the worker
 * should look again, so an endpoint held by its breaker, its FIFO head, its
 * rate or its concurrency never makes a node spin. Endpoints without pending
 * work are never read (BUSY_ENDPOINTS), as in LOCK_ENDPOINTS. Filtering
 * them with an EXISTS instead let the planner, with statistics older than
 * the backlog, read the whole queue once per endpoint (a semi join over an
 * unparameterized index scan: 11,000 rows a loop in postgres-claim-plan.test.ts).
 */
export const WAITING = `
  WITH RECURSIVE ${BUSY_ENDPOINTS}
  SELECT e.max_concurrency, e.ordering, e.rate_limit_per_second, e.rate_window_start, e.rate_window_count,
    e.circuit_state, e.circuit_retry_at, ${SENDING_COUNT} AS sending, due.due_at,
    ${HEAD_DUE_AT} AS oldest_due_at
  FROM endpoints e CROSS JOIN LATERAL (${EARLIEST_DUE}) AS due (due_at)
  WHERE e.id = ANY (${BUSY_IDS}) AND e.enabled AND e.deleted_at IS NULL`;

export async function nextDueAt(db: Queryable): Promise<number | undefined> {
  const { rows } = await prepared<WaitingRow>(db, 'waiting', WAITING, []);
  let next: number | undefined;
  for (const row of rows) {
    const at = claimableAt(toCandidate(row), row.due_at, row.oldest_due_at);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}

export async function queueDepth(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'sending')",
  );
  return rows[0].n;
}

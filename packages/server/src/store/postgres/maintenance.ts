import type { Queryable } from './database.ts';

/** Ticks kept per job: enough to see recent runs, small enough to never matter. */
const KEEP_TICKS = 100;

/** True for the one node whose insert wins the (job, tick) row. */
export async function claimJobRun(
  db: Queryable,
  job: string,
  tick: number,
  now: number,
): Promise<boolean> {
  const { rows } = await db.query<{ claimed: boolean }>(
    `WITH claim AS (
       INSERT INTO job_runs (job, tick, claimed_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING tick
     ), pruned AS (
       DELETE FROM job_runs WHERE job = $1 AND tick < $2 - $4 AND EXISTS (SELECT 1 FROM claim)
     )
     SELECT EXISTS (SELECT 1 FROM claim) AS claimed`,
    [job, tick, now, KEEP_TICKS],
  );
  return rows[0].claimed;
}

/**
 * Deletes up to `limit` events created before `before` whose deliveries are
 * all finished, with their deliveries and attempts (cascade). Events with a
 * delivery still pending or sending are kept whatever their age. SKIP LOCKED:
 * a row someone is working on is left for the next batch, never waited for.
 */
export async function purgeEvents(db: Queryable, before: number, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM events WHERE id IN (
       SELECT e.id FROM events e
       WHERE e.created_at < $1
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN ('pending', 'sending'))
       ORDER BY e.created_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED)`,
    [before, limit],
  );
  return rowCount ?? 0;
}

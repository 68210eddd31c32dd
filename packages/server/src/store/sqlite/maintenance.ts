import type { Db } from './database.ts';

/** Ticks kept per job: enough to see recent runs, small enough to never matter. */
const KEEP_TICKS = 100;

export function claimJobRun(db: Db, job: string, tick: number, now: number): boolean {
  return db.transaction(() => {
    const claimed =
      db.run(
        'INSERT INTO job_runs (job, tick, claimed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        job,
        tick,
        now,
      ).changes > 0;
    if (claimed) db.run('DELETE FROM job_runs WHERE job = ? AND tick < ?', job, tick - KEEP_TICKS);
    return claimed;
  });
}

/**
 * Deletes up to `limit` events created before `before` whose deliveries are
 * all finished, with their deliveries and attempts (cascade). Events with a
 * delivery still pending or sending are kept whatever their age.
 */
export function purgeEvents(db: Db, before: number, limit: number): number {
  return Number(
    db.run(
      `DELETE FROM events WHERE id IN (
         SELECT e.id FROM events e
         WHERE e.created_at < ?
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN ('pending', 'sending'))
         ORDER BY e.created_at
         LIMIT ?)`,
      before,
      limit,
    ).changes,
  );
}

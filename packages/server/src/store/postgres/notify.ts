import type pg from 'pg';
import type { Queryable } from './database.ts';

// One channel per schema: several Herald installations (or test runs) may
// share a database, and only the nodes working the same tables should wake.
const CHANNEL = `'herald_due:' || current_schema()`;

/**
 * Tells every node that work may be due, after the commit that made it due.
 *
 * Not inside that transaction: PostgreSQL serializes the commits of
 * transactions that NOTIFY (a database-wide lock held through the WAL flush),
 * which capped ingest at one commit per fsync (~270/s measured here) instead
 * of group-committing. Sent on its own, a NOTIFY writes nothing and waits for
 * no flush. Calls in the same turn of the event loop share one NOTIFY. Best
 * effort: a lost one costs a poll interval, not a delivery.
 */
export class DueNotifier {
  readonly #db: Queryable;
  #scheduled = false;

  constructor(db: Queryable) {
    this.#db = db;
  }

  soon(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#db.query(`SELECT pg_notify(${CHANNEL}, '')`).catch(() => {});
    });
  }
}

/** Starts listening on `client` (a dedicated connection); returns the channel name. */
export async function listenDue(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ channel: string }>(`SELECT ${CHANNEL} AS channel`);
  const channel = rows[0].channel;
  await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
  return channel;
}

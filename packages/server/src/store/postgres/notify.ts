import type pg from 'pg';
import type { Queryable } from './database.ts';

// One channel per schema: several Herald installations (or test runs) may
// share a database, and only the nodes working the same tables should wake.
const CHANNEL = `'herald_due:' || current_schema()`;

/**
 * Tells every node that work may be due. Inside a transaction PostgreSQL sends
 * it at commit (and folds repeats into one), so no node wakes before the rows
 * it would claim are visible.
 */
export async function notifyDue(db: Queryable): Promise<void> {
  await db.query(`SELECT pg_notify(${CHANNEL}, '')`);
}

/** Starts listening on `client` (a dedicated connection); returns the channel name. */
export async function listenDue(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ channel: string }>(`SELECT ${CHANNEL} AS channel`);
  const channel = rows[0].channel;
  await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
  return channel;
}

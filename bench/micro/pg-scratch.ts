import pg from 'pg';
import { PostgresStore } from '../../packages/server/src/store/postgres/postgres-store.ts';
import { seedQueue } from './queue-fixture.ts';

export interface ScratchQueue {
  store: PostgresStore;
  /** The server's URL, without the scratch schema. */
  serverUrl: string;
  schema: string;
  /** Closes the store and drops its schema. */
  drop(): Promise<void>;
}

/**
 * A PostgreSQL store in a schema of its own (`<prefix>_<pid>`) holding
 * `deliveries` pending deliveries to one endpoint, analyzed once seeded, all
 * pending, as autovacuum does after a burst: the statistics then go stale as
 * the queue drains, like a real one's.
 */
export async function scratchQueue(prefix: string, deliveries: number): Promise<ScratchQueue> {
  const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `${prefix}_${process.pid}`;
  const store = new PostgresStore({ url: `${serverUrl}?schema=${schema}`, poolSize: 4 });
  await store.open(Date.now());
  const drop = async () => {
    await store.close();
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  };
  try {
    await seedQueue(store, { deliveries, endpoints: 1, maxConcurrency: 100 });
    await store.db.query('ANALYZE');
  } catch (error) {
    await drop();
    throw error;
  }
  return { store, serverUrl, schema, drop };
}

import { join } from 'node:path';
import pg from 'pg';
import { Batch } from './batch.ts';
import { migrate } from './migrate.ts';
import { DueNotifier } from './notify.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

/**
 * The queries a module needs: a pool or one client inside a transaction. A
 * QueryConfig with a `name` runs as a named prepared statement: each
 * connection parses and plans it once (see `prepared`).
 */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string | pg.QueryConfig,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * Runs a hot statement (a worker cycle's claim and record) prepared: planning
 * those CTEs on every cycle cost PostgreSQL more than running them. The name
 * is per connection and per text, so a changed statement gets a new name; it
 * shares the connection's namespace with Batch's SQL PREPAREs (`herald_batch_…`).
 */
export function prepared<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  name: string,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  if (name.startsWith('batch_')) throw new Error(`the batch_ names are Batch's: ${name}`);
  return db.query<R>({ name: `herald_${name}`, text, values });
}

export interface PgOptions {
  /** `postgres://…`; a `schema=` query parameter puts Herald's tables in that schema. */
  url: string;
  poolSize: number;
}

// Times are epoch milliseconds in BIGINT columns and counts come back as int8:
// both fit a double exactly, so Herald reads them as numbers, not strings.
const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

// Whole transactions are retried on these: a deadlock victim or a lost
// serialization race is safe to run again because nothing was committed.
const RETRYABLE = new Set(['40001', '40P01']);

/** Splits Herald's `schema=` parameter out of a PostgreSQL URL. */
export function parseUrl(url: string): {
  connectionString: string;
  schema?: string;
} {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`invalid schema name in database URL: ${schema}`);
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/** A pg pool with a transaction helper and the migrations runner. */
export class PgDb implements Queryable {
  readonly pool: pg.Pool;
  readonly schema?: string;
  /** Wakes the other nodes after a commit that made work due. */
  readonly due = new DueNotifier(this);
  readonly #clientConfig: pg.ClientConfig;

  constructor({ url, poolSize }: PgOptions) {
    const { connectionString, schema } = parseUrl(url);
    this.schema = schema;
    this.#clientConfig = {
      connectionString,
      types,
      application_name: 'herald',
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    };
    this.pool = new pg.Pool({
      ...this.#clientConfig,
      max: poolSize,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => {});
    // Nor may a checked-out one, which the pool's listener does not cover: a
    // server shutdown reaching it between two statements is an 'error' event
    // with no listener. The statement it runs next fails, and that is handled.
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  /** A connection outside the pool (LISTEN needs one that stays put). */
  newClient(): pg.Client {
    return new pg.Client(this.#clientConfig);
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string | pg.QueryConfig,
    params?: unknown[],
  ) {
    return typeof sql === 'string' ? this.pool.query<R>(sql, params) : this.pool.query<R>(sql);
  }

  /**
   * Runs `work` in one READ COMMITTED transaction, retried on deadlock. Its
   * statements go through a Batch: one at a time with `query`, or several to
   * a round trip with `run`. `asyncCommit` skips waiting for the WAL flush at
   * commit: only for writes whose loss in a database crash is harmless (a
   * claim lost that way is sent again, which at-least-once delivery allows).
   */
  async transaction<T>(
    work: (tx: Batch) => Promise<T>,
    options: { asyncCommit?: boolean } = {},
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      const tx = new Batch(client, options);
      let broken = false;
      try {
        const result = await work(tx);
        await tx.commit();
        return result;
      } catch (error) {
        await tx.rollback().catch(() => {
          broken = true;
        });
        const code = (error as { code?: string }).code;
        if (!(code && RETRYABLE.has(code) && attempt < 5)) throw error;
      } finally {
        // A connection whose rollback failed may still be inside the transaction: the pool drops it.
        client.release(broken);
      }
    }
  }

  /** Applies the numbered migrations not yet applied (see migrate.ts). */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await migrate(client, MIGRATIONS_DIR, { schema: this.schema });
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

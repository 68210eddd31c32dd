import { PostgresStore } from './postgres/postgres-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export interface StoreOptions {
  /** Connections per process (PostgreSQL only). */
  poolSize?: number;
}

/** Picks the adapter from the database URL (`sqlite:path`, `sqlite::memory:`, `postgres://…`). */
export function createStore(databaseUrl: string, options: StoreOptions = {}): Store {
  if (databaseUrl.startsWith('sqlite:'))
    return new SqliteStore(databaseUrl.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(databaseUrl))
    return new PostgresStore({ url: databaseUrl, poolSize: options.poolSize ?? 10 });
  throw new Error(`unsupported database URL: ${databaseUrl}`);
}

import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/** Picks the adapter from the database URL (`sqlite:path`, `sqlite::memory:`). */
export function createStore(databaseUrl: string): Store {
  if (databaseUrl.startsWith('sqlite:'))
    return new SqliteStore(databaseUrl.slice('sqlite:'.length));
  throw new Error(`unsupported database URL: ${databaseUrl}`);
}

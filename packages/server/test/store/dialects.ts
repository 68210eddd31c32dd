import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { createStore } from '../../src/store/open-store.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { tempDir } from '../helpers/herald.ts';
import { createTestSchema } from '../helpers/postgres.ts';

export type DialectName = Store['dialect'];

/** One database for a test run: the stores opened on it share the same tables. */
export interface TestDatabase {
  dialect: DialectName;
  url: string;
  /** A new, migrated store on the database; on SQLite only after the last one closed. */
  open(): Promise<Store>;
  /**
   * Another Herald node on the database: a new store on PostgreSQL. A SQLite
   * file has one owner, so there it is the store already open (or a new one),
   * and "several nodes" become concurrent calls on that one.
   */
  node(): Promise<Store>;
  /** Another empty database of the same dialect, for tests that need the whole queue to themselves. */
  fresh(): Promise<TestDatabase>;
}

interface Disposable {
  url: string;
  dispose(): Promise<void>;
}

const DIALECTS: Record<DialectName, () => Promise<Disposable>> = {
  async sqlite() {
    const dir = tempDir('herald-store-');
    return {
      url: `sqlite:${join(dir, 'herald.db')}`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  async postgres() {
    const schema = await createTestSchema('store');
    return { url: schema.url, dispose: () => schema.drop() };
  },
};

/**
 * Runs `suite` once per dialect, a SQLite file and the real PostgreSQL, each
 * in a fresh database (temp dir, new schema) removed when the suite is done.
 * `db()` is available inside tests and hooks.
 */
export function forEachDialect(suite: (db: () => TestDatabase) => void): void {
  for (const dialect of Object.keys(DIALECTS) as DialectName[]) {
    describe(dialect, () => {
      let database: TestDatabase | undefined;
      const stores: Store[] = [];
      const made: Disposable[] = [];
      const make = async (): Promise<TestDatabase> => {
        const { url } = made[made.push(await DIALECTS[dialect]()) - 1];
        let latest: Store | undefined;
        const database: TestDatabase = {
          dialect,
          url,
          async open() {
            const store = createStore(url, { poolSize: 5 });
            await store.open(Date.now());
            stores.push(store);
            latest = store;
            return store;
          },
          async node() {
            return dialect === 'sqlite' && latest ? latest : database.open();
          },
          fresh: make,
        };
        return database;
      };
      before(async () => {
        database = await make();
      });
      after(async () => {
        for (const store of stores) await store.close().catch(() => {});
        for (const each of made) await each.dispose();
      });
      suite(() => {
        if (!database) throw new Error('the test database is made in a before hook');
        return database;
      });
    });
  }
}

/** Runs `sql` on the store's own database, behind the store's back (set-ups the API cannot make). */
export async function execute(store: Store, sql: string): Promise<void> {
  if (store instanceof SqliteStore) store.db.raw.exec(sql);
  else if (store instanceof PostgresStore) await store.db.query(sql);
  else throw new Error('unknown store');
}

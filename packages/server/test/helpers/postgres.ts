import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local PostgreSQL the tests use (trust auth, database `test`); overridable for other setups. */
export const TEST_POSTGRES_URL =
  process.env.HERALD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  name: string;
  /** A Herald database URL whose tables live in this schema. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty schema for one test run, so parallel test files and
 * leftovers of earlier runs never see each other's rows. Herald creates its
 * tables in it; `drop` removes everything.
 */
export async function createTestSchema(label = 'test'): Promise<TestSchema> {
  const name = `herald_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('schema', name);
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`),
  };
}

/** One statement as the test database's owner, outside any store. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrate } from '../../src/store/postgres/migrate.ts';
import {
  NO_TRANSACTION,
  readMigrations,
  splitStatements,
} from '../../src/store/postgres/migration-files.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { createTestSchema, TEST_POSTGRES_URL, type TestSchema } from '../helpers/postgres.ts';
import { addEndpoint, addOrg, DELIVERED, ingest, recordOf, T0 } from './fixtures.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, '../../src/store/postgres/migrations');

async function connect(schema: TestSchema): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`SET search_path = ${schema.name}`);
  return client;
}

/** The indexes of `table`: name, definition, validity and identity (a rebuilt one gets a new oid). */
async function indexes(client: pg.Client, table: string) {
  const { rows } = await client.query<{ name: string; def: string; valid: boolean; oid: number }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisvalid AS valid, c.oid::int AS oid
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = to_regclass($1) ORDER BY c.relname`,
    [table],
  );
  return rows;
}

test('every no-transaction migration can run again from the top', () => {
  const rerunnable =
    /^(CREATE (UNIQUE )?INDEX CONCURRENTLY IF NOT EXISTS|DROP INDEX CONCURRENTLY IF EXISTS|ALTER INDEX IF EXISTS|ALTER TABLE \w+ ADD COLUMN IF NOT EXISTS) |^UPDATE [\s\S]+ IS NULL$/;
  const outside = readMigrations(MIGRATIONS_DIR).filter((m) => !m.transactional);
  assert.ok(outside.some((m) => m.name === '0061_deliveries_endpoint.sql'));
  for (const migration of outside)
    for (const statement of splitStatements(migration.sql))
      assert.match(statement, rerunnable, `${migration.name}: ${statement}`);
});

test('statements split at semicolons outside comments and quotes only', () => {
  const sql = `${NO_TRANSACTION}\n-- why; and how\nCREATE INDEX a ON t (x) WHERE s IN ('a;b', 'it''s');\nDROP INDEX "b;c"; -- done;\n`;
  assert.deepEqual(splitStatements(sql), [
    "CREATE INDEX a ON t (x) WHERE s IN ('a;b', 'it''s')",
    'DROP INDEX "b;c"',
  ]);
  assert.throws(() => splitStatements('DO $$ BEGIN END $$;'), /dollar quoting/);
});

describe('PostgreSQL migrations outside a transaction', () => {
  let schema: TestSchema;
  let store: PostgresStore;
  let client: pg.Client;

  before(async () => {
    schema = await createTestSchema('migrate');
    store = new PostgresStore({ url: schema.url, poolSize: 2 });
    await store.open(T0);
    client = await connect(schema);
  });

  after(async () => {
    await client.end();
    await store.close();
    await schema.drop();
  });

  test('0060, 0061 and 0071 leave the claim indexes and one full index by endpoint, all valid', async () => {
    const found = await indexes(client, 'deliveries');
    const byName = new Map(found.map((index) => [index.name, index.def.replace(/ ON \S+/, '')]));
    assert.ok(found.every((index) => index.valid));
    assert.equal(
      byName.get('deliveries_pending_age'),
      `CREATE INDEX deliveries_pending_age USING btree (endpoint_id, id COLLATE "POSIX") WHERE ((status = 'pending'::text) AND (attempt_count >= 0))`,
    );
    assert.match(byName.get('deliveries_endpoint_settled') ?? '', /\(endpoint_id, status\) WHERE/);
    assert.equal(
      byName.get('deliveries_endpoint'),
      'CREATE INDEX deliveries_endpoint USING btree (endpoint_id, id)',
    );
    assert.ok(!byName.has('deliveries_endpoint_status'));
    assert.ok(!byName.has('deliveries_pending_age_0060'));
    assert.ok(!byName.has('deliveries_pending_age_0071'));
  });

  test('0070 gives attempts recorded before it their endpoint, and an index by endpoint and start time', async () => {
    const orgId = (await addOrg(store)).id;
    const endpoint = await addEndpoint(store, orgId);
    await ingest(store, orgId);
    const [claim] = await store.claimDue({ now: T0, limit: 1, leaseMs: 60_000 });
    await store.recordAttempts([recordOf(claim!, 200, DELIVERED, T0 + 5)], T0 + 10);
    // As a node of the version before 0070 left it.
    await client.query('UPDATE attempts SET endpoint_id = NULL');
    await client.query('DELETE FROM migrations WHERE id = 70');
    await store.migrate();
    const { rows } = await client.query('SELECT endpoint_id FROM attempts');
    assert.deepEqual(rows, [{ endpoint_id: endpoint.id }]);
    assert.ok(
      (await indexes(client, 'attempts')).some((i) => i.name === 'attempts_endpoint_started'),
    );
    const window = { since: T0, until: T0 + 60_000, bucketMs: 60_000 };
    assert.equal((await store.endpointActivity(orgId, endpoint.id, window)).succeeded, 1);
  });

  test('an INVALID index left by a failed build is rebuilt, then migrating again changes nothing', async () => {
    const orgId = (await addOrg(store)).id;
    await addEndpoint(store, orgId);
    await ingest(store, orgId);
    await ingest(store, orgId);
    // As if 0061's build had failed: an INVALID index of that name, the migration unrecorded.
    await client.query('DROP INDEX deliveries_endpoint');
    await client.query('DELETE FROM migrations WHERE id = 61');
    await assert.rejects(
      client.query(
        'CREATE UNIQUE INDEX CONCURRENTLY deliveries_endpoint ON deliveries (endpoint_id)',
      ),
      /could not create unique index/,
    );
    const leftover = (await indexes(client, 'deliveries')).find(
      (index) => index.name === 'deliveries_endpoint',
    );
    assert.equal(leftover?.valid, false);

    await store.migrate();
    const rebuilt = await indexes(client, 'deliveries');
    const index = rebuilt.find((i) => i.name === 'deliveries_endpoint');
    assert.equal(index?.valid, true);
    assert.match(
      index?.def ?? '',
      /^CREATE INDEX deliveries_endpoint ON \S+ USING btree \(endpoint_id, id\)$/,
    );
    const applied = (await client.query('SELECT id, applied_at FROM migrations ORDER BY id')).rows;
    assert.ok(applied.some((row) => row.id === 61));

    await store.migrate();
    assert.deepEqual(await indexes(client, 'deliveries'), rebuilt);
    assert.deepEqual(
      (await client.query('SELECT id, applied_at FROM migrations ORDER BY id')).rows,
      applied,
    );
  });

  /** An index list without what a rebuild changes (its oid). */
  const shape = (rows: { name: string; def: string; valid: boolean }[]) =>
    rows.map(({ name, def, valid }) => ({ name, def, valid }));

  test('0060 run again after stopping midway ends where a whole run does', async () => {
    const whole = await indexes(client, 'deliveries');
    // Stopped after its first statement: the new index by age built, the old one still there.
    await client.query('ALTER INDEX deliveries_pending_age RENAME TO deliveries_pending_age_0060');
    await client.query(
      "CREATE INDEX deliveries_pending_age ON deliveries (endpoint_id, id) WHERE status = 'pending'",
    );
    await client.query('DROP INDEX deliveries_endpoint_settled');
    await client.query(
      'CREATE INDEX deliveries_endpoint_status ON deliveries (endpoint_id, status)',
    );
    await client.query('DELETE FROM migrations WHERE id = 60');
    await store.migrate();
    assert.deepEqual(shape(await indexes(client, 'deliveries')), shape(whole));
  });

  test('0071 run again after stopping midway ends where a whole run does', async () => {
    const whole = await indexes(client, 'deliveries');
    // Stopped after its first statement: the new index by age built, the one of 0060 still there.
    await client.query('ALTER INDEX deliveries_pending_age RENAME TO deliveries_pending_age_0071');
    await client.query(
      "CREATE INDEX deliveries_pending_age ON deliveries (endpoint_id, id) WHERE status = 'pending' AND attempt_count >= 0",
    );
    await client.query('DELETE FROM migrations WHERE id = 71');
    await store.migrate();
    assert.deepEqual(shape(await indexes(client, 'deliveries')), shape(whole));
  });
});

describe('PostgreSQL migrations behind a long transaction', () => {
  let schema: TestSchema;
  let dir: string;
  let client: pg.Client;
  let blocker: pg.Client;

  before(async () => {
    schema = await createTestSchema('migratelock');
    dir = mkdtempSync(join(tmpdir(), 'herald-migrations-'));
    writeFileSync(join(dir, '0001_table.sql'), 'CREATE TABLE items (id INTEGER, name TEXT);');
    client = await connect(schema);
    blocker = await connect(schema);
  });

  after(async () => {
    await client.end();
    await blocker.end();
    await schema.drop();
    rmSync(dir, { recursive: true });
  });

  test('fails with a clear error after lock_timeout, unrecorded, and resumes once the transaction ends', async () => {
    const options = { schema: schema.name, lockTimeout: '50ms' };
    await migrate(client, dir, options);
    writeFileSync(
      join(dir, '0002_index.sql'),
      `${NO_TRANSACTION}\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_name ON items (name);\n`,
    );
    // A transaction whose lock conflicts with the build's, held until the test ends it.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE items IN SHARE MODE');
    await assert.rejects(
      migrate(client, dir, options),
      /migration 0002_index\.sql failed: canceling statement due to lock timeout \(waited 50ms/,
    );
    const ids = async () => (await client.query('SELECT id FROM migrations ORDER BY id')).rows;
    assert.deepEqual(await ids(), [{ id: 1 }]);
    await blocker.query('COMMIT');
    // The default timeout: the build also waits for other test files' transactions.
    await migrate(client, dir, { schema: schema.name });
    assert.deepEqual(await ids(), [{ id: 1 }, { id: 2 }]);
    assert.deepEqual(
      (await indexes(client, 'items')).map(({ name, valid }) => ({ name, valid })),
      [{ name: 'items_name', valid: true }],
    );
    const { rows } = await client.query('SHOW lock_timeout');
    assert.equal(rows[0].lock_timeout, '0', 'the session keeps no lock_timeout');
  });

  test('an ALTER TABLE waits lock_timeout at most, rolls back whole and runs once the transaction ends', async () => {
    const options = { schema: schema.name, lockTimeout: '50ms' };
    await migrate(client, dir, options);
    writeFileSync(join(dir, '0003_column.sql'), 'ALTER TABLE items ADD COLUMN note TEXT;');
    // A reader in an open transaction holds a lock the ALTER TABLE must wait for.
    await blocker.query('BEGIN');
    await blocker.query('SELECT * FROM items');
    await assert.rejects(
      migrate(client, dir, options),
      /migration 0003_column\.sql failed: canceling statement due to lock timeout \(waited 50ms/,
    );
    const columns = async () =>
      (
        await client.query(
          "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'items' ORDER BY ordinal_position",
          [schema.name],
        )
      ).rows.map((row) => row.column_name);
    assert.deepEqual(await columns(), ['id', 'name']);
    await blocker.query('COMMIT');
    await migrate(client, dir, options);
    assert.deepEqual(await columns(), ['id', 'name', 'note']);
    const { rows } = await client.query('SHOW lock_timeout');
    assert.equal(rows[0].lock_timeout, '0', 'the session keeps no lock_timeout');
  });
});

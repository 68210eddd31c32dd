import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { type Migration, readMigrations, splitStatements } from './migration-files.ts';

// How long a migration's statement waits for a lock, or (a CREATE INDEX
// CONCURRENTLY) for the transactions older than it to end, before failing:
// long enough for Herald's own transactions, not for a forgotten one. While an
// ALTER TABLE waits for its lock, every statement on that table queues behind
// it, so without a limit one idle transaction would stall the whole cluster.
const LOCK_TIMEOUT = '1min';
const LOCK_POLL_MS = 100;

export interface MigrateOptions {
  schema?: string;
  lockTimeout?: string;
}

/**
 * Applies the migrations of `dir` not yet applied. Several nodes may start at
 * once: a session advisory lock, keyed by the schema, lets one migrate while
 * the others wait and then find nothing left to do.
 */
export async function migrate(
  client: pg.ClientBase,
  dir: string,
  { schema, lockTimeout = LOCK_TIMEOUT }: MigrateOptions = {},
): Promise<void> {
  const lockKey = `herald:migrate:${schema ?? ''}`;
  await lock(client, lockKey);
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set(
      (await client.query<{ id: number }>('SELECT id FROM migrations')).rows.map((r) => r.id),
    );
    for (const migration of readMigrations(dir)) {
      if (applied.has(migration.id)) continue;
      if (migration.transactional) await applyInTransaction(client, migration, lockTimeout);
      else await applyOutsideTransaction(client, migration, lockTimeout);
    }
  } finally {
    // A connection that broke midway has lost the lock with it; the error that broke it is the one to see.
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
  }
}

/**
 * Polls for the lock rather than waiting in pg_advisory_lock: a waiting
 * statement holds a snapshot, and CREATE INDEX CONCURRENTLY waits for every
 * older snapshot to go, so the node migrating and a node waiting for it would
 * deadlock (PostgreSQL then cancels one of them).
 */
async function lock(client: pg.ClientBase, key: string): Promise<void> {
  const tryLock = 'SELECT pg_try_advisory_lock(hashtext($1)) AS locked';
  while (!(await client.query<{ locked: boolean }>(tryLock, [key])).rows[0].locked)
    await sleep(LOCK_POLL_MS);
}

const RECORD = 'INSERT INTO migrations (id, name, applied_at) VALUES ($1, $2, $3)';

async function applyInTransaction(
  client: pg.ClientBase,
  migration: Migration,
  lockTimeout: string,
): Promise<void> {
  await client.query('BEGIN');
  try {
    // Local: it ends with the transaction.
    await client.query("SELECT set_config('lock_timeout', $1, true)", [lockTimeout]);
    await client.query(migration.sql);
    await client.query(RECORD, [migration.id, migration.name, Date.now()]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw failed(migration, error, lockTimeout);
  }
}

/**
 * Runs each statement on its own. A crash or a failure midway leaves the
 * statements before it applied and the migration unrecorded, so the next
 * start runs it again from the top: its statements must be re-runnable
 * (IF EXISTS, IF NOT EXISTS), and an index a failed build left behind is
 * dropped first.
 */
async function applyOutsideTransaction(
  client: pg.ClientBase,
  migration: Migration,
  lockTimeout: string,
): Promise<void> {
  await client.query("SELECT set_config('lock_timeout', $1, false)", [lockTimeout]);
  try {
    for (const statement of splitStatements(migration.sql)) {
      await dropInvalidIndex(client, statement);
      await client.query(statement);
    }
    await client.query(RECORD, [migration.id, migration.name, Date.now()]);
  } catch (error) {
    throw failed(migration, error, lockTimeout);
  } finally {
    await client.query('RESET lock_timeout').catch(() => {});
  }
}

const CREATE_INDEX = /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+IF\s+NOT\s+EXISTS\s+(\w+)/i;

/**
 * A CREATE INDEX CONCURRENTLY that failed (a lock timeout, a crash, a unique
 * violation) leaves its index behind, INVALID: no query uses it, every write
 * still updates it, and IF NOT EXISTS would keep it as it is.
 */
async function dropInvalidIndex(client: pg.ClientBase, statement: string): Promise<void> {
  const name = CREATE_INDEX.exec(statement)?.[1];
  if (!name) return;
  const { rows } = await client.query<{ valid: boolean }>(
    'SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)',
    [name],
  );
  if (rows[0]?.valid === false) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
}

const LOCK_NOT_AVAILABLE = '55P03';

function failed(migration: Migration, error: unknown, lockTimeout: string): Error {
  const { message, code } = error as { message: string; code?: string };
  const hint =
    code === LOCK_NOT_AVAILABLE
      ? ` (waited ${lockTimeout} for a lock or for older transactions to end: look for long ones in pg_stat_activity, then migrate again)`
      : '';
  return new Error(`migration ${migration.name} failed: ${message}${hint}`, { cause: error });
}

import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { startCheckpointer } from '../../src/store/sqlite/checkpointer.ts';
import { Db } from '../../src/store/sqlite/database.ts';
import { groupCommit } from '../../src/store/sqlite/group-commit.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { eventually, tempDir } from '../helpers/herald.ts';
import { addEndpoint, addOrg, ingest, T0 } from './fixtures.ts';

test('SQLite: the checkpointer thread copies commits into the database file; they survive a reopen', async () => {
  const dir = tempDir('herald-checkpoint-');
  const file = join(dir, 'herald.db');
  try {
    const store = new SqliteStore(file);
    await store.open(T0);
    const orgId = (await addOrg(store)).id;
    await addEndpoint(store, orgId);
    const before = statSync(file).size;
    // ~1 MiB of payloads: far below the writer's own checkpoint threshold, so only the
    // thread can have moved them out of the WAL into the file.
    const payloadJson = JSON.stringify({ fill: 'x'.repeat(2048) });
    await Promise.all(Array.from({ length: 500 }, () => ingest(store, orgId, { payloadJson })));
    await eventually(() => statSync(file).size > before + 1024 * 1024);
    await store.close();

    const reopened = new SqliteStore(file);
    await reopened.open(T0);
    const { n } = reopened.db.get<{ n: number }>('SELECT count(*) AS n FROM events')!;
    assert.equal(n, 500);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite: past its restart size the thread pauses the writer, restarts the WAL, and the held write commits after', async () => {
  const dir = tempDir('herald-checkpoint-');
  const file = join(dir, 'herald.db');
  try {
    const db = new Db(file);
    // No checkpoint on commit meanwhile: it would let the writer restart the WAL itself.
    db.raw.exec('PRAGMA wal_autocheckpoint = 0');
    db.raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, fill TEXT NOT NULL)');
    const insert = groupCommit(db, (fill: string) =>
      db.run('INSERT INTO t (fill) VALUES (?)', fill),
    );
    // ~2 MiB of WAL before the thread starts: past a restart size of 256 pages (1 MiB).
    for (let i = 0; i < 1_000; i++) await insert('x'.repeat(2000));
    const count = (fill: string) =>
      db.get<{ n: number }>('SELECT count(*) AS n FROM t WHERE fill = ?', fill)!.n;

    // A write asked for during the pause must wait for the restart.
    let held: Promise<unknown> | undefined;
    let committedAtResume: number | undefined;
    const { close, open } = {
      close: db.gate.close.bind(db.gate),
      open: db.gate.open.bind(db.gate),
    };
    db.gate.close = () => {
      close();
      held ??= insert('during the pause');
    };
    db.gate.open = () => {
      if (held && committedAtResume === undefined) committedAtResume = count('during the pause');
      open();
    };
    const stop = startCheckpointer(db, { restartPages: 256 });
    await eventually(() => held !== undefined && committedAtResume !== undefined);
    await held;
    assert.equal(committedAtResume, 0, 'the write waited for the restart');
    assert.equal(count('during the pause'), 1);
    // The held write was the first after the restart: the WAL began again at its first frame.
    const { log } = db.get<{ log: number }>('PRAGMA wal_checkpoint(PASSIVE)')!;
    assert.ok(log < 16, `the WAL holds ${log} frames`);
    await stop();
    db.close();

    const reopened = new Db(file);
    assert.equal(reopened.get<{ n: number }>('SELECT count(*) AS n FROM t')!.n, 1_001);
    reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite: a group commit waits while the write gate is closed, without blocking the event loop', async () => {
  const db = new Db(':memory:');
  try {
    db.raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const insert = groupCommit(db, (id: number) => db.run('INSERT INTO t (id) VALUES (?)', id));
    const count = () => db.get<{ n: number }>('SELECT count(*) AS n FROM t')!.n;
    db.gate.close();
    const pending = Promise.all([insert(1), insert(2)]);
    await setTimeout(20);
    assert.equal(count(), 0, 'nothing is written while the gate is closed');
    db.gate.open();
    await pending;
    assert.equal(count(), 2);
  } finally {
    db.close();
  }
});

/** The pages the writer checkpoints at on its own, and the warnings the checkpointer gave. */
function watch(db: Db) {
  const warnings: string[] = [];
  const onWarning = (warning: Error & { code?: string }) => {
    if (warning.code === 'HERALD_CHECKPOINTER') warnings.push(warning.message);
  };
  process.on('warning', onWarning);
  return {
    warnings,
    autocheckpoint: () =>
      db.get<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint')!.wal_autocheckpoint,
    done: () => process.off('warning', onWarning),
  };
}

test('SQLite: a checkpoint thread that dies hands checkpoints back to the writer, and says so', async () => {
  const dir = tempDir('herald-checkpoint-');
  const db = new Db(join(dir, 'herald.db'));
  const watched = watch(db);
  try {
    // The thread's first flush fails on a descriptor that is not open, and the thread dies.
    Object.defineProperty(db, 'fileDescriptor', { value: 1_000_000 });
    const stop = startCheckpointer(db, { restartPages: 256 });
    assert.equal(watched.autocheckpoint(), 1024, 'only the backstop while the thread runs');
    await eventually(() => watched.autocheckpoint() === 1000 && watched.warnings.length === 1);
    assert.match(watched.warnings[0]!, /checkpoint thread failed/);
    await stop();
  } finally {
    watched.done();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite: a pause the thread does not end in time is ended for it, and the writer checkpoints again', async () => {
  const dir = tempDir('herald-checkpoint-');
  const file = join(dir, 'herald.db');
  const db = new Db(file);
  const watched = watch(db);
  const reader = new DatabaseSync(file);
  try {
    db.raw.exec('PRAGMA wal_autocheckpoint = 0');
    db.raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, fill TEXT NOT NULL)');
    for (let i = 0; i < 1_000; i++) db.run('INSERT INTO t (fill) VALUES (?)', 'x'.repeat(2000));
    // A reader holding its snapshot keeps the RESTART waiting past the 1 ms limit.
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    let closed = false;
    const close = db.gate.close.bind(db.gate);
    db.gate.close = () => {
      closed = true;
      close();
    };
    const stop = startCheckpointer(db, { restartPages: 256, pauseLimitMs: 1 });
    await eventually(() => closed && watched.autocheckpoint() === 1000);
    assert.equal(db.gate.wait(), undefined, 'the gate is open again');
    assert.match(watched.warnings[0]!, /held writes for 1 ms and was stopped/);
    await stop();
  } finally {
    reader.close();
    watched.done();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

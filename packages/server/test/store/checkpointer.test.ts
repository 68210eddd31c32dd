import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

test('SQLite: under a steady write load the thread restarts the WAL, pausing the writer between commits', async () => {
  const dir = tempDir('herald-checkpoint-');
  const file = join(dir, 'herald.db');
  try {
    const db = new Db(file);
    db.raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, fill TEXT NOT NULL)');
    let pauses = 0;
    const close = db.gate.close.bind(db.gate);
    db.gate.close = () => {
      pauses++;
      close();
    };
    // Restart past 256 pages (1 MiB): the writer's own backstop sits at 4 MiB.
    const stop = startCheckpointer(db, file, { restartPages: 256 });
    const insert = groupCommit(db, (fill: string) =>
      db.run('INSERT INTO t (fill) VALUES (?)', fill),
    );
    let walPeak = 0;
    // ~8 MiB through the WAL at ~10 MiB/s, 50 rows per group commit.
    for (let batch = 0; batch < 80; batch++) {
      await Promise.all(Array.from({ length: 50 }, () => insert('x'.repeat(2000))));
      walPeak = Math.max(walPeak, statSync(`${file}-wal`).size);
      await setTimeout(10);
    }
    await stop();
    db.close();
    assert.ok(pauses >= 2, `the WAL was restarted ${pauses} times`);
    assert.ok(walPeak < 3.5 * 2 ** 20, `WAL peaked at ${walPeak} bytes`);

    const reopened = new Db(file);
    assert.equal(reopened.get<{ n: number }>('SELECT count(*) AS n FROM t')!.n, 4000);
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

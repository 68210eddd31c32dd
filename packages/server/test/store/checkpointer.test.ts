import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
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

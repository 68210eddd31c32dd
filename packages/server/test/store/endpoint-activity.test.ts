import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { AttemptRecord } from '../../src/store/store.ts';
import { tempDir } from '../helpers/herald.ts';
import { forEachDialect } from './dialects.ts';
import { addEndpoint, addOrg, DELIVERED, FAILED, ingest, recordOf, T0 } from './fixtures.ts';

const MINUTE = 60_000;

forEachDialect((db) => {
  test('endpoint activity: attempts per bucket by outcome, nearest-rank latency', async () => {
    // A database of its own: the claim below must see only this test's deliveries.
    const store = await (await db().fresh()).open();
    const org = await addOrg(store);
    const endpoint = await addEndpoint(store, org.id, { maxConcurrency: 100 });
    const other = await addEndpoint(store, org.id, { maxConcurrency: 100 });
    for (let i = 0; i < 6; i++) await ingest(store, org.id);
    const claims = await store.claimDue({ now: T0, limit: 100, leaseMs: 60_000 });
    const mine = claims.filter((c) => c.endpoint.id === endpoint.id);
    const theirs = claims.filter((c) => c.endpoint.id === other.id);
    assert.equal(mine.length, 6);

    // Bucket 0: two successes (10, 20 ms); bucket 2: a 500 and a timeout; bucket 3: a success;
    // one success before the window; another endpoint's attempt is never counted.
    const at = (claim: (typeof mine)[0], status: number | null, startedAt: number, ms: number) => {
      const record: AttemptRecord = recordOf(
        claim,
        status,
        status === 200 ? DELIVERED : FAILED,
        startedAt,
      );
      record.result.durationMs = ms;
      return record;
    };
    await store.recordAttempts(
      [
        at(mine[0], 200, T0 + 1 * MINUTE, 10),
        at(mine[1], 200, T0 + 4 * MINUTE, 20),
        at(mine[2], 500, T0 + 10 * MINUTE, 30),
        at(mine[3], null, T0 + 14 * MINUTE, 5000),
        at(mine[4], 200, T0 + 15 * MINUTE, 40),
        at(mine[5], 200, T0 - MINUTE, 99_999),
        at(theirs[0], 500, T0 + 2 * MINUTE, 7),
      ],
      T0 + 20 * MINUTE,
    );

    const activity = await store.endpointActivity(org.id, endpoint.id, {
      since: T0,
      until: T0 + 20 * MINUTE,
      bucketMs: 5 * MINUTE,
    });
    assert.equal(activity.succeeded, 3);
    assert.equal(activity.failed, 2);
    assert.deepEqual(
      activity.buckets.map((b) => [b.start - T0, b.succeeded, b.failed]),
      [
        [0, 2, 0],
        [5 * MINUTE, 0, 0],
        [10 * MINUTE, 0, 2],
        [15 * MINUTE, 1, 0],
      ],
    );
    // Durations in the window: 10, 20, 30, 40, 5000 → p50 is the 3rd, p90 and p99 the 5th.
    assert.deepEqual(activity.latencyMs, { p50: 30, p90: 5000, p99: 5000 });

    const empty = await store.endpointActivity(org.id, endpoint.id, {
      since: T0 + DAY_AHEAD,
      until: T0 + DAY_AHEAD + 10 * MINUTE,
      bucketMs: 5 * MINUTE,
    });
    assert.equal(empty.succeeded + empty.failed, 0);
    assert.equal(empty.buckets.length, 2);
    assert.equal(empty.latencyMs, null);
  });
});

const DAY_AHEAD = 24 * 60 * MINUTE;

test('SQLite 0060 gives attempts recorded before it their endpoint; activity reads them by index', async () => {
  const dir = tempDir('herald-activity-');
  try {
    const store = new SqliteStore(join(dir, 'herald.db'));
    await store.open(T0);
    const org = await addOrg(store);
    const endpoint = await addEndpoint(store, org.id);
    await ingest(store, org.id);
    const [claim] = await store.claimDue({ now: T0, limit: 1, leaseMs: 60_000 });
    await store.recordAttempts([recordOf(claim!, 200, DELIVERED, T0 + 5)], T0 + 10);
    // As the version before 0060 left it.
    store.db.raw.exec(`DROP INDEX attempts_endpoint_started;
      ALTER TABLE attempts DROP COLUMN endpoint_id;
      DELETE FROM migrations WHERE id = 60;`);
    store.db.migrate();
    const rows = store.db.all<{ endpoint_id: string }>('SELECT endpoint_id FROM attempts');
    assert.deepEqual(
      rows.map((row) => row.endpoint_id),
      [endpoint.id],
    );
    const window = { since: T0, until: T0 + MINUTE, bucketMs: MINUTE };
    assert.equal((await store.endpointActivity(org.id, endpoint.id, window)).succeeded, 1);
    const plan = store.db
      .all<{ detail: string }>(
        'EXPLAIN QUERY PLAN SELECT count(*) FROM attempts a WHERE a.endpoint_id = ? AND a.started_at >= ? AND a.started_at < ?',
        endpoint.id,
        T0,
        T0 + MINUTE,
      )
      .map((row) => row.detail);
    assert.ok(
      plan.some((detail) => detail.includes('attempts_endpoint_started')),
      plan.join('; '),
    );
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

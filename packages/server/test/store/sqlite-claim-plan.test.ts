import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Db } from '../../src/store/sqlite/database.ts';
import { CANDIDATES, WAITING } from '../../src/store/sqlite/queue.ts';
import { tempDir } from '../helpers/herald.ts';

/**
 * A claim and the worker's sleep read the endpoints that have pending work,
 * not every endpoint: with thousands of idle ones (a multi-tenant install)
 * reading each cost ~0.6 µs per endpoint per cycle, on the event loop.
 */
test('SQLite: the claim and the next-due query start from the endpoints with pending deliveries', () => {
  const dir = tempDir('herald-claim-plan-');
  try {
    const db = new Db(join(dir, 'herald.db'));
    db.migrate();
    for (const [name, sql, ...parameters] of [
      ['claim candidates', CANDIDATES, 0],
      ['next due', WAITING],
    ] as const) {
      const plan = db
        .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...parameters)
        .map((row) => row.detail);
      const where = plan.join('; ');
      assert.ok(
        !plan.some((detail) => /^SCAN e\b/.test(detail)),
        `${name} scans endpoints: ${where}`,
      );
      assert.ok(
        plan.some((detail) => /^SEARCH e USING .*\(id=\?\)/.test(detail)),
        `${name} looks endpoints up by id: ${where}`,
      );
      assert.ok(
        plan.some((detail) => detail.includes('deliveries_due (endpoint_id>?)')),
        `${name} jumps from endpoint to endpoint in the due-time index: ${where}`,
      );
    }
    // The claim reads the candidates one by one while it writes: they must all be read first.
    const candidates = db
      .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${CANDIDATES}`, 0)
      .map((row) => row.detail);
    assert.ok(
      candidates.includes('MATERIALIZE waiting') &&
        candidates.includes('USE TEMP B-TREE FOR ORDER BY'),
      `claim candidates are not read in full before the first row: ${candidates.join('; ')}`,
    );
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

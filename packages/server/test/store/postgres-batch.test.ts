import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { Batch } from '../../src/store/postgres/batch.ts';
import { TEST_POSTGRES_URL } from '../helpers/postgres.ts';

let client: pg.Client;
before(async () => {
  client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
});
after(() => client.end());

const MODE = "SELECT current_setting('plan_cache_mode') AS mode, $1::int AS n";

test('a generic statement runs under force_generic_plan, the others under the default', async () => {
  const batch = new Batch(client);
  const statement = (n: number, generic?: boolean) => ({
    name: `herald_batch_test_${generic ? 'generic' : 'default'}`,
    text: MODE,
    values: [n],
    ...(generic ? { generic } : {}),
  });
  const results = await batch.run([statement(1), statement(2, true), statement(3)]);
  assert.deepEqual(
    results.map((r) => r.rows[0]),
    [
      { mode: 'auto', n: 1 },
      { mode: 'force_generic_plan', n: 2 },
      { mode: 'auto', n: 3 },
    ],
  );
  const [last] = await batch.run([statement(4, true)], { commit: true });
  assert.deepEqual(last!.rows, [{ mode: 'force_generic_plan', n: 4 }]);
  const { rows } = await client.query("SELECT current_setting('plan_cache_mode') AS mode");
  assert.equal(rows[0].mode, 'auto');
});

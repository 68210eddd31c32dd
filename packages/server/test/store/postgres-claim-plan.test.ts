import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { CLAIM, LOCK_ENDPOINTS } from '../../src/store/postgres/queue.ts';
import { createTestSchema, TEST_POSTGRES_URL, type TestSchema } from '../helpers/postgres.ts';
import { addEndpoint, addOrg, ingest } from './fixtures.ts';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** Every scan of `deliveries` in the plan, with the rows it produced. */
function deliveryScans(node: PlanNode, found: PlanNode[] = []): PlanNode[] {
  if (node['Relation Name'] === 'deliveries' && node['Node Type'].includes('Scan'))
    found.push(node);
  for (const child of node.Plans ?? []) deliveryScans(child, found);
  return found;
}

const PENDING = 10_000;
let schema: TestSchema;
let store: PostgresStore;
let client: pg.Client;
let endpointId: string;

before(async () => {
  schema = await createTestSchema('claimplan');
  store = new PostgresStore({ url: schema.url, poolSize: 8 });
  await store.open(Date.now());
  const orgId = (await addOrg(store)).id;
  endpointId = (await addEndpoint(store, orgId, { maxConcurrency: 100 })).id;
  client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`SET search_path = ${schema.name}`);
  // A queue filled through the ingest path since the last ANALYZE (here: never analyzed).
  for (let done = 0; done < PENDING; done += 1_000)
    await Promise.all(Array.from({ length: 1_000 }, () => ingest(store, orgId)));
});

after(async () => {
  await client.end();
  await store.close();
  await schema.drop();
});

async function scans(sql: string, params: unknown[]): Promise<PlanNode[]> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
    return deliveryScans(rows[0]['QUERY PLAN'][0].Plan);
  } finally {
    await client.query('ROLLBACK');
  }
}

test('PostgreSQL: with statistics older than the backlog, a claim reads the first due deliveries, not all 10,000', async () => {
  const now = Date.now() + 60_000;
  const locking = await scans(LOCK_ENDPOINTS, [now, 100]);
  const claiming = await scans(CLAIM, [[endpointId], now, 10, 30_000, [10], [false], [false]]);
  for (const scan of [...locking, ...claiming]) {
    assert.ok(
      scan['Actual Rows'] <= 10,
      `${scan['Node Type']} on ${scan['Index Name']} read ${scan['Actual Rows']} rows`,
    );
  }
  assert.ok(claiming.some((scan) => scan['Index Name'] === 'deliveries_due'));
});

import pg from 'pg';
import { literal } from '../../packages/server/src/store/postgres/batch.ts';
import { PostgresStore } from '../../packages/server/src/store/postgres/postgres-store.ts';
import { CLAIM } from '../../packages/server/src/store/postgres/queue.ts';
import { recordsOf, seedQueue } from './queue-fixture.ts';

/**
 * EXPLAIN ANALYZE of the worker's CLAIM, custom and generic plan, midway
 * through a drain like pg-cycle's: one endpoint, `total` deliveries analyzed
 * while all pending, `drained` of them delivered, 50 slots free. Each plan's
 * third execution is printed (the first ones touch cold pages), rolled back.
 * `node bench/micro/pg-claim-explain.ts [total] [drained]`
 */

const total = Number(process.argv[2] ?? 20_000);
const drained = Number(process.argv[3] ?? 10_000);
const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `herald_explain_${process.pid}`;
const store = new PostgresStore({ url: `${serverUrl}?schema=${schema}`, poolSize: 4 });
await store.open(Date.now());
const client = new pg.Client({ connectionString: serverUrl });
await client.connect();
await client.query(`SET search_path = ${schema}`);
try {
  await seedQueue(store, { deliveries: total, endpoints: 1, maxConcurrency: 100 });
  await store.db.query('ANALYZE');
  const claimOf = (limit: number) => ({ now: Date.now(), limit, leaseMs: 30_000 });
  let held = await store.claimDue(claimOf(100));
  let delivered = 0;
  while (delivered < drained && held.length > 0) {
    const done = held.slice(0, 50);
    held = held.slice(50);
    held.push(
      ...(await store.recordAndClaim(recordsOf(done), Date.now(), undefined, claimOf(done.length))),
    );
    delivered += done.length;
  }
  const ep = held[0]!.endpoint.id;
  await store.recordAndClaim(recordsOf(held.slice(0, 50)), Date.now(), undefined, claimOf(0));
  const params = [[ep], Date.now(), 50, 30_000, [50], [false], [false]];
  for (const mode of ['force_custom_plan', 'force_generic_plan']) {
    await client.query(`SET plan_cache_mode = ${mode}`);
    await client.query(`PREPARE checked AS ${CLAIM}`);
    for (let i = 0; i < 3; i++) {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS ${i === 2 ? 'on' : 'off'}) EXECUTE checked(${params.map(literal).join(', ')})`,
      );
      await client.query('ROLLBACK');
      if (i === 2) console.log(`---- ${mode}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
    await client.query('DEALLOCATE checked');
  }
} finally {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  await store.close();
}

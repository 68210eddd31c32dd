import pg from 'pg';
import { literal } from '../../packages/server/src/store/postgres/batch.ts';
import { CLAIM } from '../../packages/server/src/store/postgres/queue.ts';
import { scratchQueue } from './pg-scratch.ts';
import { recordsOf } from './queue-fixture.ts';

/**
 * EXPLAIN ANALYZE of the worker's CLAIM, custom and generic plan, midway
 * through a drain like pg-cycle's: one endpoint, `total` deliveries analyzed
 * while all pending, `drained` of them delivered, 50 slots free. Each plan's
 * third execution is printed (the first ones touch cold pages), rolled back.
 * With `rounds`, then times the claim as it ran before session 6 (custom
 * plans) and as it runs now (generic plan), alternating.
 * `node bench/micro/pg-claim-explain.ts [total] [drained] [rounds]`
 */

const total = Number(process.argv[2] ?? 20_000);
const drained = Number(process.argv[3] ?? 10_000);
const rounds = Number(process.argv[4] ?? 0);
const { store, serverUrl, schema, drop } = await scratchQueue('herald_explain', total);
const client = new pg.Client({ connectionString: serverUrl });
await client.connect();
await client.query(`SET search_path = ${schema}`);
try {
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
  const args = params.map(literal).join(', ');
  for (const mode of ['force_custom_plan', 'force_generic_plan']) {
    await client.query(`SET plan_cache_mode = ${mode}`);
    await client.query(`PREPARE checked AS ${CLAIM}`);
    for (let i = 0; i < 3; i++) {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS ${i === 2 ? 'on' : 'off'}) EXECUTE checked(${args})`,
      );
      await client.query('ROLLBACK');
      if (i === 2) console.log(`---- ${mode}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
    await client.query('DEALLOCATE checked');
  }
  // Without rounds, only the plans; the finally below still drops the schema.
  if (rounds > 0) {
    // The claim as the worker ran it before (no id array; PostgreSQL's default
    // plan_cache_mode, which keeps custom plans for it) and as it runs now
    // (its generic plan), alternating, each rolled back: server-side times.
    const before = CLAIM.replace('d.id = ANY (ARRAY(SELECT id FROM due)) AND ', '');
    const variants = [
      { name: 'before (auto: custom plans)', sql: before, mode: 'auto' },
      { name: 'now (generic plan)', sql: CLAIM, mode: 'force_generic_plan' },
    ];
    const times = variants.map(() => ({ planning: [] as number[], execution: [] as number[] }));
    for (const [v, { sql }] of variants.entries())
      await client.query(`PREPARE claim${v} AS ${sql}`);
    for (let round = 0; round < rounds + 6; round++) {
      // Each goes first every other round: a claim rolled back leaves dead row versions the next one skips.
      for (const v of round % 2 ? [1, 0] : [0, 1]) {
        const { mode } = variants[v]!;
        await client.query(`SET plan_cache_mode = ${mode}`);
        await client.query('BEGIN');
        const { rows } = await client.query(
          `EXPLAIN (ANALYZE, TIMING off, FORMAT JSON) EXECUTE claim${v}(${args})`,
        );
        await client.query('ROLLBACK');
        // The first six: plan choice settles (five custom plans before a generic one may be chosen).
        if (round < 6) continue;
        times[v]!.planning.push(rows[0]['QUERY PLAN'][0]['Planning Time']);
        times[v]!.execution.push(rows[0]['QUERY PLAN'][0]['Execution Time']);
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const [v, { name }] of variants.entries()) {
      const { planning, execution } = times[v]!;
      console.log(
        `${name}: planning ${median(planning).toFixed(3)} ms, execution ${median(execution).toFixed(3)} ms (medians of ${rounds})`,
      );
    }
  }
} finally {
  await client.end();
  await drop();
}

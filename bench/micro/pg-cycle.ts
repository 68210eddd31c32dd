import { scratchQueue } from './pg-scratch.ts';
import { cpuTicks, postgresTicks, TICK_US } from './proc-cpu.ts';
import { recordsOf } from './queue-fixture.ts';

/**
 * The PostgreSQL worker cycle without the network: 100 deliveries in flight to
 * one endpoint; each cycle records the oldest `batch` of them and claims the
 * slots they freed (Store.recordAndClaim), as the worker does under load.
 * The queue is analyzed once seeded, all pending, as autovacuum does after a
 * burst: the statistics then go stale as it drains, like a real one's.
 * Prints the cycle's wall time and the CPU time per delivery of this process
 * (which also builds and signs each request, as the sender would) and of
 * every `postgres` process (run it on a quiet server).
 * `node bench/micro/pg-cycle.ts [deliveries] [batch]`
 */
const total = Number(process.argv[2] ?? 20_000);
const batch = Number(process.argv[3] ?? 50);
const { store, drop } = await scratchQueue('herald_cycle', total);
try {
  const claimOf = (limit: number) => ({ now: Date.now(), limit, leaseMs: 30_000 });
  let held = await store.claimDue(claimOf(100));
  const before = { self: cpuTicks(process.pid), pg: postgresTicks(), at: performance.now() };
  let cycles = 0;
  let delivered = 0;
  while (held.length > 0) {
    const done = held.slice(0, batch);
    held = held.slice(batch);
    held.push(
      ...(await store.recordAndClaim(recordsOf(done), Date.now(), undefined, claimOf(done.length))),
    );
    cycles++;
    delivered += done.length;
  }
  const wallMs = performance.now() - before.at;
  const perDelivery = (t: number) => ((t * TICK_US) / delivered).toFixed(1);
  console.log(
    `${delivered} deliveries, ${cycles} cycles of ${batch}: ${(wallMs / cycles).toFixed(2)} ms a cycle (${Math.round((delivered * 1000) / wallMs)}/s); CPU µs per delivery: this process ${perDelivery(cpuTicks(process.pid) - before.self)}, postgres ${perDelivery(postgresTicks() - before.pg)}`,
  );
} finally {
  await drop();
}

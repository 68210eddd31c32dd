import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EndpointCache } from '../../packages/server/src/store/endpoint-cache.ts';
import { toEndpoint } from '../../packages/server/src/store/sqlite/rows.ts';
import { SqliteStore } from '../../packages/server/src/store/sqlite/sqlite-store.ts';
import type { ClaimedDelivery } from '../../packages/server/src/store/store.ts';
import { cpuMs, recordsOf, seedQueue } from './queue-fixture.ts';

/**
 * A/B of two checkouts' SQLite queue code (packages/server/src/store/sqlite/
 * queue.ts and what it imports) in one process, on one database: each worker
 * cycle (recordAndClaim, as in store-cycle.ts) goes to A or B at random, so
 * both meet the same queue and the same machine. Prints the median and the
 * 10 %-trimmed mean of CPU µs per delivery per side; two copies of the same
 * code read within ≈ 0.4 µs of each other, where separate runs of
 * store-cycle.ts drift by several µs on a shared machine.
 * `node bench/micro/cycle-ab.ts <dirA> <dirB> [deliveries] [batch] [endpoints] [inFlight] [maxConcurrency]`
 * (B's Db class, from this checkout, runs both: it must offer what A calls.)
 */
const [dirA, dirB] = process.argv.slice(2, 4).map((dir) => resolve(dir));
if (!dirA || !dirB) throw new Error('usage: cycle-ab.ts <dirA> <dirB> [deliveries] …');
const [total, batch, endpoints, inFlight, maxConcurrency] = [100_000, 100, 100, 512, 100].map(
  (fallback, i) => Number(process.argv[4 + i] ?? fallback),
);
const queueOf = (dir: string) => import(join(dir, 'packages/server/src/store/sqlite/queue.ts'));
const sides = [
  { name: 'A', queue: await queueOf(dirA), perDelivery: [] as number[] },
  { name: 'B', queue: await queueOf(dirB), perDelivery: [] as number[] },
].map((side) => ({ ...side, endpoints: new EndpointCache(toEndpoint) }));

const file = join(tmpdir(), `herald-cycle-ab-${process.pid}.db`);
const store = new SqliteStore(file);
await store.open(Date.now());
await seedQueue(store, { deliveries: total, endpoints, maxConcurrency });
const claimOf = (limit: number) => ({ now: Date.now(), limit, leaseMs: 30_000 });
const held: ClaimedDelivery[] = [];
while (held.length < inFlight) {
  const claims = await store.claimDue(claimOf(Math.min(batch, inFlight - held.length)));
  if (claims.length === 0) break;
  held.push(...claims);
}
while (held.length > 0) {
  const side = sides[Math.random() < 0.5 ? 0 : 1];
  const records = recordsOf(held.splice(0, batch));
  const request = claimOf(Math.min(batch, inFlight - held.length));
  const t = cpuMs();
  held.push(
    ...side.queue.recordAndClaim(store.db, records, Date.now(), undefined, request, side.endpoints),
  );
  side.perDelivery.push(((cpuMs() - t) * 1000) / records.length);
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
function trimmedMean(xs: number[]): number {
  const cut = Math.floor(xs.length * 0.1);
  const kept = sorted(xs).slice(cut, xs.length - cut);
  return kept.reduce((sum, x) => sum + x, 0) / kept.length;
}
for (const side of sides)
  console.log(
    `${side.name}: median ${median(side.perDelivery).toFixed(2)}, trimmed mean ${trimmedMean(side.perDelivery).toFixed(2)} µs per delivery over ${side.perDelivery.length} cycles`,
  );
// The store's checkpoint thread is unref'd: something must keep the loop alive until close ends.
const alive = setInterval(() => {}, 1000);
await store.close();
clearInterval(alive);
for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(file + suffix, { force: true });

import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../packages/server/src/store/sqlite/sqlite-store.ts';
import type { ClaimedDelivery } from '../../packages/server/src/store/store.ts';
import { cpuMs, recordsOf, seedQueue } from './queue-fixture.ts';

/**
 * The delivery hot path without the network: claim a batch, build and sign
 * each request, record the batch. Prints microseconds per delivery for each
 * part (CPU time), then for the worker's one-transaction cycle (recordAndClaim) over the
 * rest of the queue, so an engine change can be judged on a busy machine
 * (run it twice).
 * `node bench/micro/store-cycle.ts [deliveries] [batch] [endpoints] [inFlight] [maxConcurrency]`
 * With endpoints > 1 every event fans out to all of them (fanout-100: 100
 * endpoints, batch 100, inFlight 512). inFlight is what the worker holds: each
 * cycle records the oldest `batch` of them and claims their replacements
 * (default: the previous claim, inFlight = batch). A low maxConcurrency (each
 * endpoint's, default 100) spreads a cycle's claims over many endpoints.
 */
const total = Number(process.argv[2] ?? 20_000);
const batch = Number(process.argv[3] ?? 50);
const endpointCount = Number(process.argv[4] ?? 1);
const inFlight = Math.max(batch, Number(process.argv[5] ?? batch));
const maxConcurrency = Number(process.argv[6] ?? 100);
const file = join(tmpdir(), `herald-cycle-${process.pid}.db`);
const store = new SqliteStore(file);
await store.open(Date.now());
if (process.env.PRAGMA) store.db.raw.exec(process.env.PRAGMA);
const statements = process.env.STATEMENTS ? timeStatements() : undefined;
await seedQueue(store, { deliveries: total, endpoints: endpointCount, maxConcurrency });
const claimOf = () => ({ now: Date.now(), limit: batch, leaseMs: 30_000 });

// Half the queue as claimDue + recordAttempts (two transactions per cycle)…
let claimMs = 0;
let buildMs = 0;
let recordMs = 0;
let done = 0;
while (done < total / 2) {
  let t = cpuMs();
  const claims = await store.claimDue(claimOf());
  claimMs += cpuMs() - t;
  if (claims.length === 0) break;
  t = cpuMs();
  const records = recordsOf(claims);
  buildMs += cpuMs() - t;
  t = cpuMs();
  await store.recordAttempts(records, Date.now());
  recordMs += cpuMs() - t;
  done += claims.length;
}
const us = (ms: number, n: number) => ((ms * 1000) / n).toFixed(1);
console.log(
  `${done} deliveries, batch ${batch}: claim ${us(claimMs, done)} µs, build+sign ${us(buildMs, done)} µs, record ${us(recordMs, done)} µs per delivery`,
);
// …the other half as the worker's cycle: recordAndClaim (one transaction per cycle).
let cycleMs = 0;
let cycled = 0;
let cycles = 0;
const held: ClaimedDelivery[] = [];
while (held.length < inFlight) {
  const claims = await store.claimDue({
    ...claimOf(),
    limit: Math.min(batch, inFlight - held.length),
  });
  if (claims.length === 0) break;
  held.push(...claims);
}
statements?.start();
while (held.length > 0) {
  const records = recordsOf(held.splice(0, batch));
  const limit = Math.min(batch, inFlight - held.length);
  const t = cpuMs();
  held.push(
    ...(await store.recordAndClaim(records, Date.now(), undefined, { ...claimOf(), limit })),
  );
  cycleMs += cpuMs() - t;
  cycled += records.length;
  cycles++;
}
statements?.print(cycled, cycles);
console.log(
  `${cycled} deliveries, batch ${batch}, ${endpointCount} endpoint(s) of maxConcurrency ${maxConcurrency}, ${inFlight} in flight, ${cycles} cycles: recordAndClaim ${us(cycleMs, cycled)} µs per delivery (vs claim + record ${us(claimMs + recordMs, done)} µs)`,
);
// The store's checkpoint thread is unref'd: something must keep the loop alive until close ends.
const alive = setInterval(() => {}, 1000);
await store.close();
clearInterval(alive);
for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(file + suffix, { force: true });

/**
 * STATEMENTS=1: wall time per SQL text over the recordAndClaim cycles, to see
 * which statements a change should go after (the timing costs ≈ 0.1 µs each;
 * rows read through Db.iterate are not counted), and the bytes written.
 */
function timeStatements() {
  const db = store.db as unknown as Record<string, (...args: unknown[]) => unknown>;
  const raw = store.db.raw as unknown as Record<string, (...args: unknown[]) => unknown>;
  const spent = new Map<string, { ns: bigint; calls: number }>();
  let on = false;
  const wrap = (target: Record<string, (...args: unknown[]) => unknown>, method: string) => {
    const original = target[method].bind(target);
    target[method] = (sql: unknown, ...params: unknown[]) => {
      if (!on) return original(sql, ...params);
      const start = process.hrtime.bigint();
      try {
        return original(sql, ...params);
      } finally {
        const key = String(sql).replace(/\s+/g, ' ').trim().slice(0, 90);
        const entry = spent.get(key) ?? { ns: 0n, calls: 0 };
        entry.ns += process.hrtime.bigint() - start;
        entry.calls++;
        spent.set(key, entry);
      }
    };
  };
  for (const method of ['run', 'get', 'all']) wrap(db, method);
  wrap(raw, 'exec');
  // The main thread's writes: the WAL frames its commits append (checkpoints run on their own thread).
  const written = () =>
    Number(/wchar: (\d+)/.exec(readFileSync('/proc/thread-self/io', 'utf8'))![1]);
  let writtenBefore = 0;
  return {
    start() {
      on = true;
      writtenBefore = written();
    },
    print(deliveries: number, cycles: number) {
      const kb = (written() - writtenBefore) / 1024;
      console.log(
        `written: ${(kb / cycles).toFixed(0)} KB per cycle, ${(kb / deliveries).toFixed(2)} KB per delivery`,
      );
      for (const [sql, { ns, calls }] of [...spent].sort((a, b) => Number(b[1].ns - a[1].ns)))
        console.log(
          `${(Number(ns) / 1000 / deliveries).toFixed(2).padStart(7)} µs/delivery ${(calls / cycles).toFixed(1).padStart(6)} calls/cycle  ${sql}`,
        );
    },
  };
}

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRequest } from '../../packages/server/src/delivery/request.ts';
import { newId } from '../../packages/server/src/domain/ids.ts';
import { SqliteStore } from '../../packages/server/src/store/sqlite/sqlite-store.ts';
import type { AttemptRecord, ClaimedDelivery } from '../../packages/server/src/store/store.ts';
import { PAYLOAD_JSON } from '../lib/payload.ts';

/**
 * The delivery hot path without the network: claim a batch, build and sign
 * each request, record the batch. Prints microseconds per delivery for each
 * part (CPU time), then for the worker's one-transaction cycle (recordAndClaim) over the
 * rest of the queue, so an engine change can be judged on a busy machine
 * (run it twice).
 * `node bench/micro/store-cycle.ts [deliveries] [batch]`
 */
const total = Number(process.argv[2] ?? 20_000);
const batch = Number(process.argv[3] ?? 50);
const file = join(tmpdir(), `herald-cycle-${process.pid}.db`);
const store = new SqliteStore(file);
await store.open(Date.now());
if (process.env.PRAGMA) store.db.raw.exec(process.env.PRAGMA);
const now = Date.now();
await store.createOrg({ id: 'org_cycle', name: 'cycle', createdAt: now, updatedAt: now });
const endpoint = await store.createEndpoint(
  {
    id: 'ep_cycle',
    orgId: 'org_cycle',
    name: 'cycle',
    url: 'http://127.0.0.1:9/cycle',
    eventTypes: null,
    enabled: true,
    auth: null,
    headers: {},
    timeoutMs: 5000,
    maxConcurrency: 100,
    retryPolicy: 'standard',
    payloadFormat: 'raw',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  } as never,
  now,
);
void endpoint;
// Concurrent ingests share one group-committed transaction per chunk.
for (let seeded = 0; seeded < total; seeded += 1000) {
  const chunk: Promise<unknown>[] = [];
  for (let i = seeded; i < Math.min(total, seeded + 1000); i++) {
    const t = Date.now();
    chunk.push(
      store.ingest({
        event: {
          id: newId('evt', t),
          orgId: 'org_cycle',
          type: 'certificate_completed',
          payloadJson: PAYLOAD_JSON,
          idempotencyKey: null,
          createdAt: t,
        },
        idempotencyWindowMs: 1000,
      }),
    );
  }
  await Promise.all(chunk);
}
function recordsOf(claims: ClaimedDelivery[]): AttemptRecord[] {
  return claims.map((claim) => {
    const startedAt = Date.now();
    buildRequest(claim.event, claim.endpoint, claim.attemptNumber, startedAt, 'Herald/bench');
    return {
      attemptId: newId('atm', startedAt),
      deliveryId: claim.deliveryId,
      endpointId: claim.endpoint.id,
      attemptNumber: claim.attemptNumber,
      result: {
        startedAt,
        durationMs: 1,
        statusCode: 200,
        error: null,
        errorMessage: null,
        responseBody: 'ok',
      },
      outcome: { status: 'delivered', nextAttemptAt: null },
    };
  });
}
// CPU time (user + system), not wall time: on a shared machine, waiting for a core is not the code's cost.
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
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
let held = await store.claimDue(claimOf());
while (held.length > 0) {
  const records = recordsOf(held);
  const t = cpuMs();
  held = await store.recordAndClaim(records, Date.now(), undefined, claimOf());
  cycleMs += cpuMs() - t;
  cycled += records.length;
}
console.log(
  `${cycled} deliveries, batch ${batch}: recordAndClaim ${us(cycleMs, cycled)} µs per delivery (vs claim + record ${us(claimMs + recordMs, done)} µs)`,
);
// The store's checkpoint thread is unref'd: something must keep the loop alive until close ends.
const alive = setInterval(() => {}, 1000);
await store.close();
clearInterval(alive);
for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(file + suffix, { force: true });

import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { newId } from '../../packages/server/src/domain/ids.ts';
import { PostgresStore } from '../../packages/server/src/store/postgres/postgres-store.ts';
import type { AttemptRecord, ClaimedDelivery } from '../../packages/server/src/store/store.ts';
import { PAYLOAD_JSON } from '../lib/payload.ts';

/**
 * The PostgreSQL worker cycle without the network: 100 deliveries in flight to
 * one endpoint; each cycle records the oldest `batch` of them and claims the
 * slots they freed (Store.recordAndClaim), as the worker does under load.
 * The queue is analyzed once seeded, all pending, as autovacuum does after a
 * burst: the statistics then go stale as it drains, like a real one's.
 * Prints the cycle's wall time and the CPU time per delivery of this process
 * and of every `postgres` process (run it on a quiet server).
 * `node bench/micro/pg-cycle.ts [deliveries] [batch]`
 */
const total = Number(process.argv[2] ?? 20_000);
const batch = Number(process.argv[3] ?? 50);
const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `herald_cycle_${process.pid}`;
const store = new PostgresStore({ url: `${serverUrl}?schema=${schema}`, poolSize: 4 });
await store.open(Date.now());
const now = Date.now();
await store.createOrg({ id: 'org_cycle', name: 'cycle', createdAt: now, updatedAt: now } as never);
await store.createEndpoint(
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
for (let seeded = 0; seeded < total; seeded += 500) {
  const chunk: Promise<unknown>[] = [];
  for (let i = seeded; i < Math.min(total, seeded + 500); i++) {
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
      } as never),
    );
  }
  await Promise.all(chunk);
}
await store.db.query('ANALYZE');

function recordsOf(claims: ClaimedDelivery[]): AttemptRecord[] {
  return claims.map((claim) => {
    const startedAt = Date.now();
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

const TICK_US = 10_000;
function ticks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
function postgresTicks(): number {
  let sum = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        sum += ticks(Number(entry));
    } catch {}
  }
  return sum;
}

const claimOf = (limit: number) => ({ now: Date.now(), limit, leaseMs: 30_000 });
let held = await store.claimDue(claimOf(100));
const before = { self: ticks(process.pid), pg: postgresTicks(), at: performance.now() };
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
  `${delivered} deliveries, ${cycles} cycles of ${batch}: ${(wallMs / cycles).toFixed(2)} ms a cycle (${Math.round((delivered * 1000) / wallMs)}/s); CPU µs per delivery: this process ${perDelivery(ticks(process.pid) - before.self)}, postgres ${perDelivery(postgresTicks() - before.pg)}`,
);
await store.close();
const client = new pg.Client({ connectionString: serverUrl });
await client.connect();
await client.query(`DROP SCHEMA ${schema} CASCADE`);
await client.end();

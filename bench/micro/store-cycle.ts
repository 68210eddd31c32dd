import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRequest } from '../../packages/server/src/delivery/request.ts';
import { newId } from '../../packages/server/src/domain/ids.ts';
import { SqliteStore } from '../../packages/server/src/store/sqlite/sqlite-store.ts';
import type { AttemptRecord } from '../../packages/server/src/store/store.ts';
import { PAYLOAD_JSON } from '../lib/payload.ts';

/**
 * The delivery hot path without the network: claim a batch, build and sign
 * each request, record the batch. Prints microseconds per delivery for each
 * part, so an engine change can be judged on a busy machine (run it twice).
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
store.db.transaction(() => {
  for (let i = 0; i < total; i++) {
    const t = Date.now();
    void store.ingest({
      event: {
        id: newId('evt', t),
        orgId: 'org_cycle',
        type: 'certificate_completed',
        payloadJson: PAYLOAD_JSON,
        idempotencyKey: null,
        createdAt: t,
      },
      idempotencyWindowMs: 1000,
    });
  }
});
let claimMs = 0;
let buildMs = 0;
let recordMs = 0;
let done = 0;
while (done < total) {
  let t = performance.now();
  const claims = await store.claimDue({ now: Date.now(), limit: batch, leaseMs: 30_000 });
  claimMs += performance.now() - t;
  if (claims.length === 0) break;
  t = performance.now();
  const records: AttemptRecord[] = claims.map((claim) => {
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
  buildMs += performance.now() - t;
  t = performance.now();
  await store.recordAttempts(records, Date.now());
  recordMs += performance.now() - t;
  done += claims.length;
}
const us = (ms: number) => ((ms * 1000) / done).toFixed(1);
console.log(
  `${done} deliveries, batch ${batch}: claim ${us(claimMs)} µs, build+sign ${us(buildMs)} µs, record ${us(recordMs)} µs per delivery`,
);
await store.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });

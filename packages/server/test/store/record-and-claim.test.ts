import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptRecord, ClaimedDelivery } from '../../src/store/store.ts';
import { forEachDialect } from './dialects.ts';
import {
  addEndpoint,
  addOrg,
  DELIVERED,
  ingest,
  recordOf,
  retryAt,
  sendResult,
  T0,
} from './fixtures.ts';

const request = (now: number) => ({ now, limit: 10, leaseMs: 10_000 });

/** The worker's cycle in both dialects, on the paths the PostgreSQL adapter takes by the batch's outcomes. */
forEachDialect((db) => {
  async function fresh(maxConcurrency: number, queued: number) {
    const store = await (await db().fresh()).open();
    const orgId = (await addOrg(store)).id;
    const endpoint = await addEndpoint(store, orgId, { maxConcurrency });
    for (let i = 0; i < queued; i++) await ingest(store, orgId, { createdAt: T0 + i });
    return { store, orgId, endpoint };
  }

  test('a success on a failing endpoint resets its health and refills the slot it freed', async () => {
    const { store, orgId, endpoint } = await fresh(1, 3);
    const [a] = await store.claimDue(request(T0 + 10));
    const [b] = await store.recordAndClaim(
      [recordOf(a!, 503, retryAt(T0 + 60_000))],
      T0 + 20,
      undefined,
      request(T0 + 20),
    );
    const health = async () => (await store.getEndpoint(orgId, endpoint.id))!.health!;
    assert.equal((await health()).consecutiveFailures, 1);

    // All successes, on an endpoint whose failure count the record must reset.
    const [c] = await store.recordAndClaim(
      [recordOf(b!, 200, DELIVERED)],
      T0 + 30,
      undefined,
      request(T0 + 30),
    );
    assert.equal((await health()).consecutiveFailures, 0);
    assert.equal(c?.event.createdAt, T0 + 2);
    assert.equal((await store.getDelivery(orgId, b!.deliveryId))?.attempts.length, 1);
    const stats = await store.endpointStats(orgId, endpoint.id);
    assert.deepEqual([stats.attemptsSucceeded, stats.attemptsFailed], [1, 1]);
  });

  test('attempts keep their response body and error text byte for byte', async () => {
    const { store, orgId } = await fresh(10, 3);
    const claims = await store.claimDue(request(T0 + 10));
    const texts = [
      `he said "hi", {a,b} 'quoted' \\ back\\slash \\" \\\\ $1 ; COMMIT; ünïcødé 🎉\nline`,
      'NULL',
      '',
    ];
    const records: AttemptRecord[] = claims.map((claim: ClaimedDelivery, i) => ({
      ...recordOf(claim, 200, DELIVERED),
      result: { ...sendResult(200), responseBody: texts[i]!, errorMessage: texts[(i + 1) % 3]! },
    }));
    await store.recordAndClaim(records, T0 + 20, undefined, request(T0 + 20));
    for (const [i, claim] of claims.entries()) {
      const [attempt] = (await store.getDelivery(orgId, claim.deliveryId))!.attempts;
      assert.equal(attempt?.responseBody, texts[i]);
      assert.equal(attempt?.errorMessage, texts[(i + 1) % 3]);
    }
  });

  test('a response body with NUL characters is recorded, not retried forever', async () => {
    const { store, orgId } = await fresh(10, 1);
    const [claim] = await store.claimDue(request(T0 + 10));
    const body = 'PK\u0003\u0004\u0000\u0000binary';
    const record = {
      ...recordOf(claim!, 200, DELIVERED),
      result: { ...sendResult(200), responseBody: body },
    };
    await store.recordAndClaim([record], T0 + 20, undefined, request(T0 + 20));
    const delivery = (await store.getDelivery(orgId, claim!.deliveryId))!;
    assert.equal(delivery.status, 'delivered');
    // PostgreSQL text cannot hold NUL: it becomes U+FFFD there, as undecodable bytes do.
    const stored = db().dialect === 'postgres' ? body.replaceAll('\u0000', '\uFFFD') : body;
    assert.equal(delivery.attempts[0]?.responseBody, stored);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachDialect } from './dialects.ts';
import {
  addEndpoint,
  addOrg,
  DELIVERED,
  FAILED,
  ingest,
  recordOf,
  retryAt,
  T0,
} from './fixtures.ts';

const LEASE = 10_000;
const claim = (store: Store, now: number) => store.claimDue({ now, limit: 10, leaseMs: LEASE });

/**
 * Node A claims a delivery and its record is late (a stalled event loop, the
 * database out of reach for A): the lease ends, node B re-claims and sends it.
 * A's late record is logged, but settles nothing: the delivery is B's.
 */
forEachDialect((db) => {
  async function setUp() {
    const database = await db().fresh();
    const a = await database.open();
    const b = await database.node();
    const orgId = (await addOrg(a)).id;
    await addEndpoint(a, orgId, { timeoutMs: 1000, maxConcurrency: 1 });
    await ingest(a, orgId);
    const [byA] = await claim(a, T0);
    const leaseEnd = T0 + 1000 + LEASE;
    assert.equal(await b.releaseExpiredLeases(leaseEnd), 1);
    const [byB] = await claim(b, leaseEnd);
    assert.equal(byB.deliveryId, byA.deliveryId);
    return { a, b, orgId, byA, byB, leaseEnd };
  }

  test("a stale claim's late 'failed' does not overrule the current claim's success", async () => {
    const { a, b, orgId, byA, byB, leaseEnd } = await setUp();
    await a.recordAttempts([recordOf(byA, 500, FAILED)], leaseEnd + 1); // A's last attempt, late
    await b.recordAttempts([recordOf(byB, 200, DELIVERED)], leaseEnd + 2); // B's send succeeded
    const delivery = await b.getDelivery(orgId, byB.deliveryId);
    assert.equal(
      delivery?.status,
      'delivered',
      `attempts: ${JSON.stringify(delivery?.attempts.map((x) => [x.number, x.statusCode]))}`,
    );
    assert.equal(delivery?.attempts.length, 2, "A's late attempt is in the log all the same");
  });

  test("a stale claim's late record does not free the slot the current claim holds", async () => {
    const { a, byA, leaseEnd } = await setUp();
    await a.recordAttempts([recordOf(byA, 500, retryAt(leaseEnd + 5))], leaseEnd + 1);
    // B's request is still in flight: with maxConcurrency 1 nothing may be claimed.
    const third = await claim(a, leaseEnd + 5);
    assert.deepEqual(
      third.map((x) => x.deliveryId),
      [],
      'claimed again while B still sends it',
    );
  });

  // Deleting or disabling an endpoint cancels its pending deliveries; one in
  // flight then, whose node dies, comes back when its lease ends, and nothing
  // would ever claim it for a gone or disabled endpoint.
  for (const change of ['deleted', 'disabled'] as const) {
    test(`a delivery in flight when its endpoint was ${change} is cancelled when its lease comes back`, async () => {
      const store = await (await db().fresh()).open();
      const orgId = (await addOrg(store)).id;
      const endpoint = await addEndpoint(store, orgId, { timeoutMs: 1000 });
      await ingest(store, orgId);
      const [inFlight] = await claim(store, T0);
      if (change === 'deleted') await store.deleteEndpoint(orgId, endpoint.id, T0 + 1);
      else await store.updateEndpoint(orgId, endpoint.id, { enabled: false }, T0 + 1);
      assert.equal(await store.releaseExpiredLeases(T0 + 1000 + LEASE), 1);
      const delivery = await store.getDelivery(orgId, inFlight!.deliveryId);
      assert.equal(delivery?.status, 'cancelled');
      assert.equal(delivery?.nextAttemptAt, null);
    });
  }

  // A PostgreSQL commit whose answer is lost with the connection is retried
  // by the worker: the same attempts arrive a second time.
  test('the same attempts recorded twice count once', async () => {
    const store = await (await db().fresh()).open();
    const orgId = (await addOrg(store)).id;
    const endpoint = await addEndpoint(store, orgId);
    await ingest(store, orgId);
    const [claimed] = await claim(store, T0);
    const record = recordOf(claimed!, 200, DELIVERED);
    await store.recordAttempts([record], T0 + 1);
    await store.recordAttempts([record], T0 + 2);
    const delivery = await store.getDelivery(orgId, claimed!.deliveryId);
    assert.equal(delivery?.status, 'delivered');
    assert.equal(delivery?.attempts.length, 1);
    assert.equal((await store.endpointStats(orgId, endpoint.id)).attemptsSucceeded, 1);
  });

  // PostgreSQL: an ingest reads the endpoint as enabled while a disable is
  // under way; committed after the disable's cancel, its delivery would wait
  // for a claim that never comes.
  test('a delivery an ingest left to a disabled endpoint is cancelled by the sweep', async (t) => {
    const database = await db().fresh();
    if (database.dialect !== 'postgres') return t.skip('SQLite writes one at a time: no race');
    const store = await database.open();
    const orgId = (await addOrg(store)).id;
    const endpoint = await addEndpoint(store, orgId);
    // The disable as updateEndpoint runs it, still open while the ingest runs.
    const { event } = await (store as PostgresStore).db.transaction(async (tx) => {
      await tx.query('SELECT id FROM endpoints WHERE id = $1 FOR NO KEY UPDATE', [endpoint.id]);
      await tx.query('UPDATE endpoints SET enabled = false WHERE id = $1', [endpoint.id]);
      await tx.query(
        "UPDATE deliveries SET status = 'cancelled' WHERE endpoint_id = $1 AND status = 'pending'",
        [endpoint.id],
      );
      return ingest(store, orgId);
    });
    const [delivery] = (await store.listDeliveries(orgId, { eventId: event.id }, { limit: 5 }))
      .data;
    assert.equal(delivery?.status, 'pending', 'the race left it pending');
    await store.releaseExpiredLeases(T0);
    const swept = await store.getDelivery(orgId, delivery!.id);
    assert.equal(swept?.status, 'cancelled');
  });
});

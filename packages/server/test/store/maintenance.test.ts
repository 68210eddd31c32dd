import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from './dialects.ts';
import { addEndpoint, addOrg, DAY, DELIVERED, FAILED, ingest, recordOf, T0 } from './fixtures.ts';

forEachDialect((db) => {
  test('claimJobRun: one claim per (job, tick), whichever store asks', async () => {
    const database = await db().fresh();
    const [one, two] = [await database.node(), await database.node()];
    assert.equal(await one.claimJobRun('retention', 7, T0), true);
    assert.equal(await two.claimJobRun('retention', 7, T0), false);
    assert.equal(await one.claimJobRun('retention', 7, T0), false);
    assert.equal(await two.claimJobRun('certificate-expiry', 7, T0), true);
    assert.equal(await two.claimJobRun('retention', 8, T0), true);
    // Concurrent claims of a new tick: exactly one wins.
    const results = await Promise.all(
      [one, two, one, two].map((store) => store.claimJobRun('retention', 9, T0)),
    );
    assert.equal(results.filter(Boolean).length, 1);
  });

  test('purgeEvents removes old finished history in batches and keeps live deliveries', async () => {
    const database = await db().fresh();
    const store = await database.open();
    const orgId = (await addOrg(store)).id;
    await addEndpoint(store, orgId, { maxConcurrency: 100 });
    const old = [];
    for (let i = 0; i < 5; i++) old.push(await ingest(store, orgId, { createdAt: T0 + i }));
    const recent = await ingest(store, orgId, { createdAt: T0 + 40 * DAY });
    // Settle four old deliveries (delivered, failed); leave one pending and claim none of the recent.
    const claims = await store.claimDue({ now: T0 + 10, limit: 4, leaseMs: 1000 });
    assert.equal(claims.length, 4);
    await store.recordAttempts(
      claims.map((claim, i) => recordOf(claim, i % 2 ? 500 : 200, i % 2 ? FAILED : DELIVERED)),
      T0 + 20,
    );
    const stillPending = old[4].event.id;
    const cutoff = T0 + 30 * DAY;

    assert.equal(await store.purgeEvents(cutoff, 3), 3);
    assert.equal(await store.purgeEvents(cutoff, 3), 1);
    assert.equal(await store.purgeEvents(cutoff, 3), 0);

    for (const { event } of old.slice(0, 4))
      assert.equal(await store.getEvent(orgId, event.id), undefined);
    assert.ok(await store.getEvent(orgId, stillPending), 'a pending delivery keeps its event');
    assert.ok(await store.getEvent(orgId, recent.event.id));
    const left = await store.listDeliveries(orgId, {}, { limit: 10 });
    assert.deepEqual(left.data.map((d) => d.status).sort(), ['pending', 'pending']);
    // Attempts went with their deliveries.
    for (const claim of claims)
      assert.equal(await store.getDelivery(orgId, claim.deliveryId), undefined);
  });
});

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { newId } from '../../src/domain/ids.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachDialect } from './dialects.ts';
import {
  addEndpoint,
  addOrg,
  DAY,
  DELIVERED,
  FAILED,
  ingest,
  makeEvent,
  recordOf,
  T0,
} from './fixtures.ts';

forEachDialect((db) => {
  let store: Store;
  before(async () => {
    store = await db().open();
  });

  test('migrate is idempotent and meta keeps the last value', async () => {
    await store.migrate();
    await store.migrate();
    assert.equal(await store.getMeta('missing'), undefined);
    await store.setMeta('k', 'one');
    await store.setMeta('k', 'two');
    assert.equal(await store.getMeta('k'), 'two');
  });

  test('organizations: create, get, page through, rename, delete', async () => {
    const fresh = await (await db().fresh()).open();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await addOrg(fresh, `Org ${i}`, T0 + i));
    assert.deepEqual(await fresh.getOrg(made[0].id), made[0]);
    const first = await fresh.listOrgs({ limit: 2 });
    assert.deepEqual(
      first.data.map((o) => o.name),
      ['Org 4', 'Org 3'],
    );
    assert.ok(first.nextCursor);
    const rest = await fresh.listOrgs({ limit: 10, cursor: first.nextCursor });
    assert.deepEqual(
      rest.data.map((o) => o.name),
      ['Org 2', 'Org 1', 'Org 0'],
    );
    assert.equal(rest.nextCursor, null);
    assert.equal((await fresh.getOrg(made[1].id))?.name, 'Org 1');
    const renamed = await fresh.updateOrg(made[1].id, { name: 'Renamed' }, T0 + 100);
    assert.equal(renamed?.name, 'Renamed');
    assert.equal(renamed?.updatedAt, T0 + 100);
    // A store that keeps organizations in memory (SQLite) forgets what it changes.
    assert.deepEqual(await fresh.getOrg(made[1].id), renamed);
    assert.equal(await fresh.updateOrg('org_missing', { name: 'x' }, T0), undefined);
    assert.equal(await fresh.deleteOrg(made[1].id), true);
    assert.equal(await fresh.deleteOrg(made[1].id), false);
    assert.equal(await fresh.getOrg(made[1].id), undefined);
  });

  test('deleting an organization removes everything it owns', async () => {
    const org = await addOrg(store);
    const endpoint = await addEndpoint(store, org.id);
    const { event } = await ingest(store, org.id);
    assert.equal(await store.deleteOrg(org.id), true);
    assert.equal(await store.getEndpoint(org.id, endpoint.id), undefined);
    assert.equal(await store.getEvent(org.id, event.id), undefined);
    assert.deepEqual((await store.listDeliveries(org.id, {}, { limit: 10 })).data, []);
  });

  test('endpoints keep every field, page, patch, and hide when deleted', async () => {
    const org = await addOrg(store);
    const endpoint = await addEndpoint(store, org.id, {
      eventTypes: ['certificate_completed', 'certificate_expired'],
      auth: { type: 'basic', username: 'herald', password: 's3cret' },
      headers: { 'X-Tenant': 'acme' },
      retryPolicy: { schedule: [1000, 2000] },
      payloadFormat: 'envelope',
      maxConcurrency: 3,
      timeoutMs: 2500,
    });
    assert.deepEqual(await store.getEndpoint(org.id, endpoint.id), endpoint);
    const other = await addOrg(store, 'Other');
    assert.equal(await store.getEndpoint(other.id, endpoint.id), undefined);

    const second = await addEndpoint(store, org.id, { id: newId('ep', T0 + 1) });
    const page = await store.listEndpoints(org.id, { limit: 1 });
    assert.deepEqual(
      page.data.map((e) => e.id),
      [second.id],
    );
    const next = await store.listEndpoints(org.id, { limit: 1, cursor: page.nextCursor! });
    assert.deepEqual(
      next.data.map((e) => e.id),
      [endpoint.id],
    );

    const patched = await store.updateEndpoint(
      org.id,
      endpoint.id,
      { url: 'https://new.example.com/h', eventTypes: null, auth: null },
      T0 + 5,
    );
    assert.equal(patched?.url, 'https://new.example.com/h');
    assert.deepEqual(await store.getEndpoint(org.id, endpoint.id), patched);
    assert.equal(patched?.maxConcurrency, 3);
    assert.equal(await store.updateEndpoint(org.id, 'ep_missing', { name: 'x' }, T0), undefined);

    assert.equal(await store.deleteEndpoint(org.id, endpoint.id, T0 + 6), true);
    assert.equal(await store.deleteEndpoint(org.id, endpoint.id, T0 + 7), false);
    assert.equal(await store.getEndpoint(org.id, endpoint.id), undefined);
    assert.deepEqual(
      (await store.listEndpoints(org.id, { limit: 10 })).data.map((e) => e.id),
      [second.id],
    );
  });

  test('rotating a secret keeps the old one signing until its grace period ends', async () => {
    const org = await addOrg(store);
    const endpoint = await addEndpoint(store, org.id);
    const first = await store.rotateEndpointSecret(
      org.id,
      endpoint.id,
      { secret: 'whsec_c2Vjb25k', previousExpiresAt: T0 + 1000 },
      T0,
    );
    assert.equal(first?.secret, 'whsec_c2Vjb25k');
    assert.deepEqual(first?.previousSecrets, [{ secret: endpoint.secret, expiresAt: T0 + 1000 }]);
    assert.deepEqual(await store.getEndpoint(org.id, endpoint.id), first);
    // Later: the first secret's grace period is over, so only the second stays.
    const second = await store.rotateEndpointSecret(
      org.id,
      endpoint.id,
      { secret: 'whsec_dGhpcmQ=', previousExpiresAt: T0 + 5000 },
      T0 + 2000,
    );
    assert.deepEqual(second?.previousSecrets, [{ secret: 'whsec_c2Vjb25k', expiresAt: T0 + 5000 }]);
    assert.deepEqual(await store.getEndpoint(org.id, endpoint.id), second);
    assert.equal(
      await store.rotateEndpointSecret(
        org.id,
        'ep_missing',
        { secret: 'x', previousExpiresAt: T0 },
        T0,
      ),
      undefined,
    );
  });

  test('ingest fans out to enabled, subscribed endpoints only', async () => {
    const org = await addOrg(store);
    const all = await addEndpoint(store, org.id);
    const subscribed = await addEndpoint(store, org.id, { eventTypes: ['certificate_completed'] });
    await addEndpoint(store, org.id, { eventTypes: ['certificate_expired'] });
    await addEndpoint(store, org.id, { enabled: false });
    const result = await ingest(store, org.id);
    assert.equal(result.duplicate, false);
    assert.equal(result.deliveries, 2);
    const deliveries = (await store.listDeliveries(org.id, {}, { limit: 10 })).data;
    assert.deepEqual(deliveries.map((d) => d.endpointId).sort(), [all.id, subscribed.id].sort());
    for (const delivery of deliveries) {
      assert.equal(delivery.status, 'pending');
      assert.equal(delivery.nextAttemptAt, T0);
      assert.equal(delivery.attemptCount, 0);
      assert.equal(delivery.eventType, 'certificate_completed');
    }
    assert.deepEqual(await store.getEvent(org.id, result.event.id), result.event);

    const test = await store.ingest({
      event: makeEvent(org.id, { type: 'herald.test' }),
      onlyEndpointId: subscribed.id,
      idempotencyWindowMs: DAY,
    });
    assert.equal(test.deliveries, 1);
  });

  test('an idempotency key returns the original event inside its window only', async () => {
    const org = await addOrg(store);
    await addEndpoint(store, org.id);
    const first = await ingest(store, org.id, { idempotencyKey: 'cert-42' });
    const again = await ingest(store, org.id, { idempotencyKey: 'cert-42', createdAt: T0 + 1000 });
    assert.equal(again.duplicate, true);
    assert.equal(again.event.id, first.event.id);
    assert.equal(again.deliveries, 1);
    const otherOrg = await addOrg(store, 'Other');
    assert.equal(
      (await ingest(store, otherOrg.id, { idempotencyKey: 'cert-42' })).duplicate,
      false,
    );

    const later = await ingest(store, org.id, {
      idempotencyKey: 'cert-42',
      createdAt: T0 + DAY + 1,
    });
    assert.equal(later.duplicate, false);
    assert.notEqual(later.event.id, first.event.id);
    const events = await store.listEvents(org.id, {}, { limit: 10 });
    assert.equal(events.data.length, 2);
  });

  test('the same new idempotency key ingested concurrently makes one event', async () => {
    const org = await addOrg(store);
    await addEndpoint(store, org.id);
    const nodes = [store, await db().node(), await db().node()];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        ingest(nodes[i % nodes.length], org.id, { idempotencyKey: 'race' }),
      ),
    );
    assert.equal(results.filter((r) => !r.duplicate).length, 1);
    assert.equal(new Set(results.map((r) => r.event.id)).size, 1);
    assert.equal((await store.listDeliveries(org.id, {}, { limit: 10 })).data.length, 1);
  });

  test('events list newest first, filter by type, stay inside their organization', async () => {
    const org = await addOrg(store);
    const a = await ingest(store, org.id, { type: 'a', createdAt: T0 });
    const b = await ingest(store, org.id, { type: 'b', createdAt: T0 + 1 });
    const c = await ingest(store, org.id, { type: 'a', createdAt: T0 + 2 });
    const page = await store.listEvents(org.id, {}, { limit: 2 });
    assert.deepEqual(
      page.data.map((e) => e.id),
      [c.event.id, b.event.id],
    );
    const rest = await store.listEvents(org.id, {}, { limit: 2, cursor: page.nextCursor! });
    assert.deepEqual(
      rest.data.map((e) => e.id),
      [a.event.id],
    );
    const typed = await store.listEvents(org.id, { type: 'a' }, { limit: 10 });
    assert.deepEqual(
      typed.data.map((e) => e.id),
      [c.event.id, a.event.id],
    );
    const other = await addOrg(store, 'Other');
    assert.equal(await store.getEvent(other.id, a.event.id), undefined);
  });

  test('deliveries filter, carry their attempts, retry and recover', async () => {
    // A fresh database: the claims below take every due delivery.
    const s = await (await db().fresh()).open();
    const org = await addOrg(s);
    const one = await addEndpoint(s, org.id);
    const two = await addEndpoint(s, org.id, { eventTypes: ['b'] });
    const first = await ingest(s, org.id, { type: 'a', createdAt: T0 });
    await ingest(s, org.id, { type: 'b', createdAt: T0 + 10 });
    const list = (filter: Parameters<Store['listDeliveries']>[1]) =>
      s.listDeliveries(org.id, filter, { limit: 10 }).then((p) => p.data.length);
    assert.equal(await list({}), 3);
    assert.equal(await list({ endpointId: two.id }), 1);
    assert.equal(await list({ eventId: first.event.id }), 1);
    assert.equal(await list({ eventType: 'b' }), 2);
    assert.equal(await list({ since: T0 + 5 }), 2);
    assert.equal(await list({ until: T0 + 10 }), 1, 'until is exclusive');
    assert.equal(await list({ since: T0, until: T0 + 11 }), 3);
    assert.equal(await list({ status: 'delivered' }), 0);

    const [delivery] = (await s.listDeliveries(org.id, { eventId: first.event.id }, { limit: 1 }))
      .data;
    // Settle it as a worker would: claimed, then failed for good.
    const claimed = await claimAll(s, T0 + 20);
    const claim = claimed.find((c) => c.deliveryId === delivery.id)!;
    assert.equal(claim.attemptNumber, 1);
    assert.equal(claim.endpoint.id, one.id);
    assert.equal(claim.event.payloadJson, first.event.payloadJson);
    assert.equal(await s.retryDelivery(org.id, delivery.id, T0 + 21), 'sending');
    await s.recordAttempts([recordOf(claim, 500, FAILED, T0 + 20)], T0 + 22);
    const failed = await s.getDelivery(org.id, delivery.id);
    assert.equal(failed?.status, 'failed');
    assert.equal(failed?.attemptCount, 1);
    assert.equal(failed?.lastStatusCode, 500);
    assert.equal(failed?.attempts.length, 1);
    assert.equal(failed?.attempts[0].statusCode, 500);
    assert.equal(failed?.attempts[0].error, 'http_status');
    assert.equal(failed?.attempts[0].startedAt, T0 + 20);
    assert.equal(await list({ status: 'failed' }), 1);

    const retried = await s.retryDelivery(org.id, delivery.id, T0 + 30);
    assert.equal(retried !== 'sending' && retried?.status, 'pending');
    assert.equal(retried !== 'sending' && retried?.nextAttemptAt, T0 + 30);
    assert.equal(await s.retryDelivery(org.id, 'dlv_missing', T0), undefined);
    assert.equal(await s.getDelivery(org.id, 'dlv_missing'), undefined);

    // Fail it again, then recover the endpoint: only failures since `since` come back.
    const [again] = (await claimAll(s, T0 + 40)).filter((c) => c.deliveryId === delivery.id);
    assert.equal(again.attemptNumber, 2);
    await s.recordAttempts([recordOf(again, 500, FAILED, T0 + 40)], T0 + 41);
    assert.equal(await s.recoverEndpoint(org.id, one.id, T0 + 1, T0 + 50), 0);
    assert.equal(await s.recoverEndpoint(org.id, one.id, T0, T0 + 50), 1);
    const recovered = await s.getDelivery(org.id, delivery.id);
    assert.equal(recovered?.status, 'pending');
    assert.equal(recovered?.attempts.length, 2);
    assert.deepEqual(
      recovered?.attempts.map((a) => a.number),
      [1, 2],
    );
  });

  test('endpoint stats count deliveries by state and attempts by outcome', async () => {
    const org = await addOrg(store);
    const endpoint = await addEndpoint(store, org.id, { maxConcurrency: 100 });
    const fresh = await (await db().fresh()).open();
    // Stats are per endpoint; a fresh database keeps other tests' due work out of the claim.
    const freshOrg = await addOrg(fresh);
    const freshEndpoint = await addEndpoint(fresh, freshOrg.id, { maxConcurrency: 100 });
    for (let i = 0; i < 3; i++) await ingest(fresh, freshOrg.id);
    const claims = await fresh.claimDue({ now: T0, limit: 10, leaseMs: 1000 });
    assert.equal(claims.length, 3);
    await fresh.recordAttempts(
      [
        recordOf(claims[0], 200, DELIVERED, T0 + 1),
        recordOf(claims[1], 500, FAILED, T0 + 2),
        recordOf(claims[2], 503, { status: 'pending', nextAttemptAt: T0 + 60_000 }, T0 + 3),
      ],
      T0 + 5,
    );
    assert.deepEqual(await fresh.endpointStats(freshOrg.id, freshEndpoint.id), {
      delivered: 1,
      failed: 1,
      pending: 1,
      attemptsSucceeded: 1,
      attemptsFailed: 2,
      lastSuccessAt: T0 + 1,
      lastFailureAt: T0 + 3,
    });
    assert.deepEqual(await store.endpointStats(org.id, endpoint.id), {
      delivered: 0,
      failed: 0,
      pending: 0,
      attemptsSucceeded: 0,
      attemptsFailed: 0,
      lastSuccessAt: null,
      lastFailureAt: null,
    });
  });
});

/** Claims everything due at `now` (the suite's endpoints allow plenty of concurrency). */
async function claimAll(store: Store, now: number) {
  return store.claimDue({ now, limit: 1000, leaseMs: 60_000 });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClaimedDelivery, Store } from '../../src/store/store.ts';
import { eventually } from '../helpers/herald.ts';
import { execute, forEachDialect, type TestDatabase } from './dialects.ts';
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
const claim = (store: Store, now: number, limit = 100) =>
  store.claimDue({ now, limit, leaseMs: LEASE });

forEachDialect((db) => {
  /** Every test here owns the whole queue: a fresh database each. */
  async function freshStore(): Promise<{ database: TestDatabase; store: Store; orgId: string }> {
    const database = await db().fresh();
    const store = await database.open();
    return { database, store, orgId: (await addOrg(store)).id };
  }

  test('claims only due deliveries of enabled endpoints, up to the limit', async () => {
    const { store, orgId } = await freshStore();
    const endpoint = await addEndpoint(store, orgId, { timeoutMs: 2000 });
    const disabled = await addEndpoint(store, orgId);
    for (let i = 0; i < 4; i++) await ingest(store, orgId, { createdAt: T0 + i });
    await ingest(store, orgId, { createdAt: T0 + 1000 });
    await store.updateEndpoint(orgId, disabled.id, { enabled: false }, T0);

    assert.deepEqual(await claim(store, T0 - 1), []);
    const first = await claim(store, T0 + 10, 3);
    assert.equal(first.length, 3);
    for (const c of first) {
      assert.equal(c.endpoint.id, endpoint.id);
      assert.equal(c.attemptNumber, 1);
      assert.equal(c.event.type, 'certificate_completed');
      assert.deepEqual(JSON.parse(c.event.payloadJson).score, 92);
    }
    // Oldest due first.
    assert.deepEqual(
      first.map((c) => c.event.createdAt),
      [T0, T0 + 1, T0 + 2],
    );
    assert.equal((await claim(store, T0 + 10)).length, 1);
    assert.equal((await claim(store, T0 + 10)).length, 0, 'claimed deliveries are not re-claimed');
    assert.equal((await claim(store, T0 + 1000)).length, 1, 'due later means claimed later');

    const sending = await store.listDeliveries(orgId, { status: 'sending' }, { limit: 10 });
    assert.equal(sending.data.length, 5);
    assert.equal(await store.queueDepth(), 5);
  });

  test("never claims more than an endpoint's maxConcurrency; recording frees slots", async () => {
    const { store, orgId } = await freshStore();
    const narrow = await addEndpoint(store, orgId, { maxConcurrency: 2 });
    const wide = await addEndpoint(store, orgId, { maxConcurrency: 5 });
    for (let i = 0; i < 6; i++) await ingest(store, orgId, { createdAt: T0 + i });

    const first = await claim(store, T0 + 10);
    const per = (claims: ClaimedDelivery[], id: string) =>
      claims.filter((c) => c.endpoint.id === id).length;
    assert.equal(per(first, narrow.id), 2);
    assert.equal(per(first, wide.id), 5);
    assert.deepEqual(await claim(store, T0 + 10), []);
    assert.equal(await store.nextDueAt(), undefined, 'saturated endpoints are not due');

    const done = first.find((c) => c.endpoint.id === narrow.id)!;
    await store.recordAttempts([recordOf(done, 200, DELIVERED)], T0 + 20);
    assert.equal(await store.nextDueAt(), T0 + 2);
    const next = await claim(store, T0 + 20);
    assert.equal(next.length, 1);
    assert.equal(next[0].endpoint.id, narrow.id);
  });

  test('concurrent claimers from several stores respect maxConcurrency together', async () => {
    const { database, store, orgId } = await freshStore();
    const endpoints = [];
    for (let i = 0; i < 4; i++)
      endpoints.push(await addEndpoint(store, orgId, { maxConcurrency: 3 }));
    for (let i = 0; i < 40; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const nodes = [store, await database.node(), await database.node(), await database.node()];
    const claimed: ClaimedDelivery[] = [];
    // Several rounds of everyone claiming at once, with some completions between.
    for (let round = 0; round < 5; round++) {
      const batches = await Promise.all(nodes.map((node) => claim(node, T0 + 100, 4)));
      const batch = batches.flat();
      claimed.push(...batch);
      const sending = await store.listDeliveries(orgId, { status: 'sending' }, { limit: 100 });
      for (const endpoint of endpoints) {
        const inFlight = sending.data.filter((d) => d.endpointId === endpoint.id).length;
        assert.ok(inFlight <= 3, `endpoint has ${inFlight} in flight, max 3`);
      }
      const finished = batch.filter((_, i) => i % 2 === 0);
      await store.recordAttempts(
        finished.map((c) => recordOf(c, 200, DELIVERED)),
        T0 + 100,
      );
    }
    const ids = claimed.map((c) => c.deliveryId);
    assert.equal(new Set(ids).size, ids.length, 'no delivery was claimed twice');
    assert.ok(ids.length >= 12);
  });

  test('recordAndClaim records a batch and refills the slots it freed, in one call', async () => {
    const { store, orgId } = await freshStore();
    const endpoint = await addEndpoint(store, orgId, { maxConcurrency: 2 });
    for (let i = 0; i < 5; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const request = (now: number, limit = 100) => ({ now, limit, leaseMs: LEASE });
    const [a, b] = await claim(store, T0 + 10);

    // a delivered, b retried later: two slots free, but only one delivery is due.
    const next = await store.recordAndClaim(
      [recordOf(a, 200, DELIVERED), recordOf(b, 503, retryAt(T0 + 60_000))],
      T0 + 20,
      undefined,
      request(T0 + 20),
    );
    assert.deepEqual(
      next.map((c) => [c.event.createdAt, c.attemptNumber, c.endpoint.id]),
      [
        [T0 + 2, 1, endpoint.id],
        [T0 + 3, 1, endpoint.id],
      ],
    );
    const get = (x: ClaimedDelivery) => store.getDelivery(orgId, x.deliveryId);
    assert.equal((await get(a))?.status, 'delivered');
    assert.equal((await get(a))?.attempts.length, 1);
    assert.equal((await get(b))?.status, 'pending');
    assert.equal((await get(b))?.nextAttemptAt, T0 + 60_000);
    assert.equal((await get(next[0]))?.status, 'sending');

    // A zero limit records only; an empty batch only claims.
    assert.deepEqual(
      await store.recordAndClaim([recordOf(next[0], 200, DELIVERED)], T0 + 30, undefined, {
        ...request(T0 + 30),
        limit: 0,
      }),
      [],
    );
    assert.equal((await get(next[0]))?.status, 'delivered');
    const last = await store.recordAndClaim([], T0 + 40, undefined, request(T0 + 40));
    assert.deepEqual(
      last.map((c) => c.event.createdAt),
      [T0 + 4],
    );
    const stats = await store.endpointStats(orgId, endpoint.id);
    assert.equal(stats.attemptsSucceeded, 2);
    assert.equal(stats.attemptsFailed, 1);
  });

  test('nodes recording and claiming at once never exceed maxConcurrency nor claim twice', async () => {
    const { database, store, orgId } = await freshStore();
    const endpoints = [];
    for (let i = 0; i < 3; i++)
      endpoints.push(await addEndpoint(store, orgId, { maxConcurrency: 4 }));
    for (let i = 0; i < 60; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const nodes = [store, await database.node(), await database.node()];
    const held = nodes.map(() => [] as ClaimedDelivery[]);
    const claimed: string[] = [];
    for (let round = 0; round < 8; round++) {
      await Promise.all(
        nodes.map(async (node, n) => {
          // Each node finishes half of what it holds (one of them a failure) and refills.
          const finished = held[n].splice(0, Math.ceil(held[n].length / 2));
          const records = finished.map((c, i) =>
            recordOf(c, i === 0 ? 500 : 200, i === 0 ? FAILED : DELIVERED),
          );
          const got = await node.recordAndClaim(records, T0 + 100, undefined, {
            now: T0 + 100,
            limit: 5,
            leaseMs: LEASE,
          });
          held[n].push(...got);
          claimed.push(...got.map((c) => c.deliveryId));
        }),
      );
      const sending = await store.listDeliveries(orgId, { status: 'sending' }, { limit: 100 });
      for (const endpoint of endpoints) {
        const inFlight = sending.data.filter((d) => d.endpointId === endpoint.id).length;
        assert.ok(inFlight <= 4, `endpoint has ${inFlight} in flight, max 4`);
      }
      assert.equal(sending.data.length, held.flat().length, 'what is sending is what nodes hold');
    }
    assert.equal(new Set(claimed).size, claimed.length, 'no delivery was claimed twice');
    assert.ok(claimed.length >= 20);
  });

  test('a claim sees every change to its endpoint at once, even within the same millisecond', async () => {
    const { store, orgId } = await freshStore();
    const endpoint = await addEndpoint(store, orgId, { maxConcurrency: 1 });
    for (let i = 0; i < 3; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const request = { now: T0 + 10, limit: 10, leaseMs: LEASE };
    const [first] = await store.claimDue(request);
    assert.equal(first.endpoint.url, endpoint.url);

    // Same timestamps throughout: nothing may hinge on updated_at.
    await store.updateEndpoint(
      orgId,
      endpoint.id,
      { url: 'https://hooks.example.com/moved', headers: { 'x-tenant': 'acme' } },
      T0 + 10,
    );
    const [second] = await store.recordAndClaim(
      [recordOf(first, 200, DELIVERED)],
      T0 + 10,
      undefined,
      request,
    );
    assert.equal(second.endpoint.url, 'https://hooks.example.com/moved');
    assert.deepEqual(second.endpoint.headers, { 'x-tenant': 'acme' });

    const rotated = await store.rotateEndpointSecret(
      orgId,
      endpoint.id,
      { secret: 'whsec_bmV3LXNlY3JldC1mb3ItdGhlLWNsYWltLXRlc3Q=', previousExpiresAt: T0 + 60_000 },
      T0 + 10,
    );
    const [third] = await store.recordAndClaim(
      [recordOf(second, 200, DELIVERED)],
      T0 + 10,
      undefined,
      request,
    );
    assert.equal(third.endpoint.secret, rotated?.secret);
    assert.deepEqual(
      third.endpoint.previousSecrets.map((p) => p.secret),
      [endpoint.secret],
    );
  });

  test('claims and records keep working after a newer node adds columns (rolling upgrade)', async () => {
    const { store, orgId } = await freshStore();
    const endpoint = await addEndpoint(store, orgId, { maxConcurrency: 100 });
    for (let i = 0; i < 20; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const request = { now: T0 + 100, limit: 2, leaseMs: LEASE };
    // Calls at once, so several pooled connections run (and prepare) the statements.
    const round = (held: ClaimedDelivery[]) =>
      Promise.all(
        [0, 1, 2, 3].map((i) =>
          store.recordAndClaim(
            held.slice(2 * i, 2 * i + 2).map((c) => recordOf(c, 200, DELIVERED)),
            T0 + 100,
            undefined,
            request,
          ),
        ),
      ).then((claims) => claims.flat());
    let held = await round([]);
    held = await round(held);
    // Schema changes made behind the store's back, as a newer Herald's migration would.
    for (const table of ['endpoints', 'events', 'deliveries'])
      await execute(store, `ALTER TABLE ${table} ADD COLUMN upgrade_note TEXT`);
    for (let rounds = 0; rounds < 40 && (await store.queueDepth()) > 0; rounds++) {
      held = await round(held);
      for (const claim of held) assert.equal(claim.endpoint.id, endpoint.id);
    }
    assert.equal(await store.queueDepth(), 0);
    assert.equal((await store.endpointStats(orgId, endpoint.id)).attemptsSucceeded, 20);
  });

  test('record moves deliveries on: delivered, retry later, failed, cancelled if disabled', async () => {
    const { store, orgId } = await freshStore();
    const endpoint = await addEndpoint(store, orgId);
    for (let i = 0; i < 4; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const [a, b, c, d] = await claim(store, T0 + 10);
    await store.recordAttempts(
      [
        recordOf(a, 200, DELIVERED),
        recordOf(b, 503, retryAt(T0 + 60_000)),
        recordOf(c, 400, FAILED),
      ],
      T0 + 20,
    );
    const get = (x: ClaimedDelivery) => store.getDelivery(orgId, x.deliveryId);
    assert.equal((await get(a))?.status, 'delivered');
    assert.equal((await get(a))?.attemptCount, 1);
    assert.equal((await get(b))?.status, 'pending');
    assert.equal((await get(b))?.nextAttemptAt, T0 + 60_000);
    assert.equal((await get(c))?.status, 'failed');
    assert.equal(await store.nextDueAt(), T0 + 60_000);
    const retried = await claim(store, T0 + 60_000);
    assert.deepEqual(
      retried.map((x) => [x.deliveryId, x.attemptNumber]),
      [[b.deliveryId, 2]],
    );

    // Disabled while d was in flight: its retry would never be claimed, so it is cancelled.
    await store.updateEndpoint(orgId, endpoint.id, { enabled: false }, T0 + 30);
    await store.recordAttempts([recordOf(d, 500, retryAt(T0 + 40))], T0 + 31);
    assert.equal((await get(d))?.status, 'cancelled');
    assert.equal((await get(d))?.attempts.length, 1);
  });

  test('disabling or deleting an endpoint cancels its pending deliveries', async () => {
    const { store, orgId } = await freshStore();
    const disabled = await addEndpoint(store, orgId);
    const deleted = await addEndpoint(store, orgId);
    const kept = await addEndpoint(store, orgId);
    await ingest(store, orgId);
    await ingest(store, orgId);
    await store.updateEndpoint(orgId, disabled.id, { enabled: false }, T0 + 1);
    assert.equal(await store.deleteEndpoint(orgId, deleted.id, T0 + 1), true);
    const byStatus = async (endpointId: string) =>
      (await store.listDeliveries(orgId, { endpointId }, { limit: 10 })).data.map((x) => x.status);
    assert.deepEqual(await byStatus(disabled.id), ['cancelled', 'cancelled']);
    assert.deepEqual(await byStatus(deleted.id), ['cancelled', 'cancelled']);
    assert.deepEqual(await byStatus(kept.id), ['pending', 'pending']);
    // Re-enabling does not bring cancelled deliveries back, only new events reach it.
    await store.updateEndpoint(orgId, disabled.id, { enabled: true }, T0 + 2);
    assert.deepEqual(await byStatus(disabled.id), ['cancelled', 'cancelled']);
    assert.equal((await claim(store, T0 + 3)).length, 2);
    assert.equal(await store.queueDepth(), 2);
  });

  test('an expired lease puts the delivery back in the queue for another claim', async () => {
    const { database, store, orgId } = await freshStore();
    const other = await database.node();
    await addEndpoint(store, orgId, { timeoutMs: 1000, maxConcurrency: 1 });
    await ingest(store, orgId);
    const [first] = await claim(store, T0);
    // The lease covers the endpoint's timeout plus the margin.
    const leaseEnd = T0 + 1000 + LEASE;
    assert.equal(await store.releaseExpiredLeases(leaseEnd - 1), 0);
    assert.deepEqual(await claim(other, leaseEnd - 1), [], 'the slot is still taken');
    assert.equal(await other.releaseExpiredLeases(leaseEnd), 1);
    assert.equal(await store.releaseExpiredLeases(leaseEnd), 0, 'released once');
    const [again] = await claim(other, leaseEnd);
    assert.equal(again.deliveryId, first.deliveryId);
    assert.equal(again.attemptNumber, 1, 'no attempt was recorded, so the number repeats');
  });

  test("one claim across endpoints leases each delivery for its own endpoint's timeout", async () => {
    const { store, orgId } = await freshStore();
    const quick = await addEndpoint(store, orgId, { timeoutMs: 1000 });
    await addEndpoint(store, orgId, { timeoutMs: 5000 });
    await ingest(store, orgId);
    const claimed = await claim(store, T0);
    assert.equal(claimed.length, 2, 'one event, both endpoints, one claim');
    assert.equal(
      await store.releaseExpiredLeases(T0 + 1000 + LEASE),
      1,
      "only the quick endpoint's lease has ended",
    );
    const [again] = await claim(store, T0 + 1000 + LEASE);
    assert.equal(again?.endpoint.id, quick.id);
    assert.equal(await store.releaseExpiredLeases(T0 + 5000 + LEASE), 1);
  });

  test('opening the store recovers in-flight work only where one process owns the database', async () => {
    const { database, store, orgId } = await freshStore();
    await addEndpoint(store, orgId);
    await ingest(store, orgId);
    assert.equal((await claim(store, T0)).length, 1);
    // SQLite: the file is opened again only after its owner is gone, so whatever
    // is still sending was left by a dead process. PostgreSQL: it may belong to
    // a live node, so it waits for its lease to expire.
    if (database.dialect === 'sqlite') await store.close();
    const reopened = await database.open();
    const sending = await reopened.listDeliveries(orgId, { status: 'sending' }, { limit: 10 });
    assert.equal(sending.data.length, database.dialect === 'sqlite' ? 0 : 1);
  });

  test('nextDueAt and queueDepth follow the queue', async () => {
    const { store, orgId } = await freshStore();
    assert.equal(await store.nextDueAt(), undefined);
    assert.equal(await store.queueDepth(), 0);
    await addEndpoint(store, orgId);
    await ingest(store, orgId, { createdAt: T0 + 500 });
    await ingest(store, orgId, { createdAt: T0 + 100 });
    assert.equal(await store.nextDueAt(), T0 + 100);
    assert.equal(await store.queueDepth(), 2);
    const claims = await claim(store, T0 + 1000);
    assert.equal(await store.queueDepth(), 2, 'sending still counts');
    await store.recordAttempts(
      claims.map((c) => recordOf(c, 200, DELIVERED)),
      T0 + 1001,
    );
    assert.equal(await store.queueDepth(), 0);
    assert.equal(await store.nextDueAt(), undefined);
  });

  test('watchDue: an ingest through one store wakes the watchers of the others', async () => {
    const { database, store, orgId } = await freshStore();
    await addEndpoint(store, orgId);
    const watcher = await database.node();
    let wakes = 0;
    const errors: Error[] = [];
    const stop = await watcher.watchDue(
      () => wakes++,
      (error) => errors.push(error),
    );
    const before = wakes;
    await ingest(store, orgId);
    if (database.dialect === 'postgres') {
      await eventually(() => wakes > before, 5_000);
    } else {
      // One process: the API wakes its own worker, there is nothing to watch.
      assert.equal(wakes, before);
    }
    await stop();
    assert.deepEqual(errors, []);
  });

  test('several nodes migrating at once leave one consistent schema', async () => {
    const database = await db().fresh();
    if (database.dialect === 'sqlite') return; // one process owns a SQLite file
    const stores = await Promise.all(Array.from({ length: 4 }, () => database.open()));
    await Promise.all(stores.map((s) => s.migrate()));
    const orgId = (await addOrg(stores[0])).id;
    assert.ok(await stores[3].getOrg(orgId));
  });
});

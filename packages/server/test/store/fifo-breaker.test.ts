import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HealthPolicy } from '../../src/domain/endpoint-health.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachDialect } from './dialects.ts';
import { addEndpoint, addOrg, ingest, recordOf, retryAt, T0 } from './fixtures.ts';

const claim = (store: Store, now: number, limit = 100) =>
  store.claimDue({ now, limit, leaseMs: 10_000 });
const POLICY: HealthPolicy = {
  breakerThreshold: 1,
  breakerCooldownMs: 1_000,
  breakerMaxCooldownMs: 8_000,
  disableAfterMs: 0,
  disableAfterFailures: 0,
};

/** Endpoints a claim skips (a FIFO head not due, a rate window used up) next to one it takes. */
forEachDialect((db) => {
  /** The head failed at T0 + 20 (retry at T0 + 60 s); another org's endpoint has one due at T0 + 500. */
  async function fifoWithHeadNotDue(policy: HealthPolicy) {
    const store = await (await db().fresh()).open();
    const fifoOrg = (await addOrg(store, 'fifo')).id;
    const fifo = await addEndpoint(store, fifoOrg, { ordering: 'fifo', maxConcurrency: 5 });
    await ingest(store, fifoOrg, { createdAt: T0 });
    const second = await ingest(store, fifoOrg, { createdAt: T0 + 1 });
    const [head] = await claim(store, T0 + 10);
    await store.recordAttempts([recordOf(head!, 503, retryAt(T0 + 60_000))], T0 + 20, policy);
    const otherOrg = (await addOrg(store, 'other')).id;
    await addEndpoint(store, otherOrg);
    await ingest(store, otherOrg, { createdAt: T0 + 500 });
    return { store, fifo, fifoOrg, second };
  }

  // The worker claims no more than it has room for: an endpoint the claim
  // would skip must not take that room, or a worker told by nextDueAt that
  // something is due claims nothing and looks again at once, until the head
  // is due (PostgreSQL locked such endpoints first).
  for (const [breaker, policy] of [
    ['open', POLICY],
    ['closed', { ...POLICY, breakerThreshold: 0 }],
  ] as const) {
    test(`a FIFO endpoint (breaker ${breaker}) whose head is not due leaves a claim of one to the endpoint that is`, async () => {
      const { store, fifo, fifoOrg } = await fifoWithHeadNotDue(policy);
      assert.equal((await store.getEndpoint(fifoOrg, fifo.id))!.health!.circuit, breaker);
      const now = T0 + 2_000;
      const due = await store.nextDueAt();
      assert.ok(due !== undefined && due <= now, 'the worker would look at once');
      const claimed = await claim(store, now, 1);
      assert.equal(claimed.length, 1, 'so a claim then takes something');
      assert.notEqual(claimed[0]!.endpoint.id, fifo.id);
    });
  }

  test('an endpoint whose rate window is used up leaves a claim of one to the endpoint that is due', async () => {
    const store = await (await db().fresh()).open();
    const limitedOrg = (await addOrg(store, 'limited')).id;
    const limited = await addEndpoint(store, limitedOrg, { rateLimitPerSecond: 1 });
    await ingest(store, limitedOrg, { createdAt: T0 });
    await ingest(store, limitedOrg, { createdAt: T0 + 1 });
    assert.equal((await claim(store, T0 + 10, 1)).length, 1, 'the window of T0 is used up');
    const otherOrg = (await addOrg(store, 'other')).id;
    await addEndpoint(store, otherOrg);
    await ingest(store, otherOrg, { createdAt: T0 + 20 });
    const claimed = await claim(store, T0 + 30, 1);
    assert.equal(claimed.length, 1);
    assert.notEqual(claimed[0]!.endpoint.id, limited.id);
  });

  test('a retry of a held FIFO delivery brings its head forward: the probe goes at once', async () => {
    const { store, fifoOrg, fifo, second } = await fifoWithHeadNotDue(POLICY);
    const page = await store.listDeliveries(fifoOrg, { eventId: second.event.id }, { limit: 10 });
    await store.retryDelivery(fifoOrg, page.data[0]!.id, T0 + 30);
    const probe = (await claim(store, T0 + 30)).filter((c) => c.endpoint.id === fifo.id);
    assert.equal(probe.length, 1);
    assert.equal(probe[0]!.attemptNumber, 2, 'the head, on its second attempt');
  });
});

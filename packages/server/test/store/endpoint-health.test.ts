import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type EndpointHealth,
  HEALTHY,
  type HealthPolicy,
} from '../../src/domain/endpoint-health.ts';
import type { Store } from '../../src/store/store.ts';
import { execute, forEachDialect } from './dialects.ts';
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
const POLICY: HealthPolicy = {
  breakerThreshold: 2,
  breakerCooldownMs: 1_000,
  breakerMaxCooldownMs: 8_000,
  disableAfterMs: 0,
  disableAfterFailures: 3,
};

/**
 * Each health column set off its healthy value, the others left healthy. A
 * Record over EndpointHealth: a new health field does not compile until it
 * is here, so the recording's "is this endpoint healthy already" test has to
 * learn about it too.
 */
const OFF_HEALTHY: Record<keyof EndpointHealth, string> = {
  consecutiveFailures: 'consecutive_failures = 1',
  consecutiveFailedDeliveries: 'consecutive_failed_deliveries = 1',
  failingSince: `failing_since = ${T0}`,
  circuit: "circuit_state = 'half_open'",
  circuitRetryAt: `circuit_retry_at = ${T0}`,
  circuitCooldownMs: 'circuit_cooldown_ms = 1000',
};

/** The same rules on both dialects: domain/claim-plan.ts and domain/endpoint-health.ts through each adapter's SQL. */
forEachDialect((db) => {
  async function fresh() {
    const store = await (await db().fresh()).open();
    return { store, orgId: (await addOrg(store)).id };
  }

  /**
   * `queued` deliveries to one endpoint, due at T0 + their index; the two
   * oldest fail at T0 + 20, to be retried at `retry`, which opens its breaker.
   */
  async function openBreaker(queued: number, retry = T0 + 100) {
    const { store, orgId } = await fresh();
    const endpoint = await addEndpoint(store, orgId, { maxConcurrency: 5 });
    const events: string[] = [];
    for (let i = 0; i < queued; i++)
      events.push((await ingest(store, orgId, { createdAt: T0 + i })).event.id);
    const [a, b] = await claim(store, T0 + 10, 2);
    await store.recordAttempts(
      [recordOf(a, 503, retryAt(retry)), recordOf(b, 503, retryAt(retry))],
      T0 + 20,
      POLICY,
    );
    return { store, orgId, endpoint, a: a!, b: b!, events };
  }

  test('410 disables the endpoint, cancels its queue and publishes endpoint.disabled to subscribers', async () => {
    const { store, orgId } = await fresh();
    const gone = await addEndpoint(store, orgId, { name: 'Gone', maxConcurrency: 1 });
    const ops = await addEndpoint(store, orgId, { eventTypes: ['endpoint.disabled'] });
    for (let i = 0; i < 3; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const [first] = await claim(store, T0 + 10);
    assert.equal(first.endpoint.id, gone.id);
    await store.recordAttempts([recordOf(first, 410, FAILED)], T0 + 20, POLICY);

    const endpoint = (await store.getEndpoint(orgId, gone.id))!;
    assert.equal(endpoint.enabled, false);
    assert.equal(endpoint.disabledReason, 'gone');
    assert.equal(endpoint.disabledAt, T0 + 20);
    const statuses = (
      await store.listDeliveries(orgId, { endpointId: gone.id }, { limit: 10 })
    ).data
      .map((d) => d.status)
      .sort();
    assert.deepEqual(statuses, ['cancelled', 'cancelled', 'failed']);
    const [notice] = (await store.listDeliveries(orgId, { endpointId: ops.id }, { limit: 10 }))
      .data;
    assert.equal(notice.eventType, 'endpoint.disabled');
    const event = (await store.getEvent(orgId, notice.eventId))!;
    const payload = JSON.parse(event.payloadJson);
    assert.equal(payload.endpointId, gone.id);
    assert.equal(payload.reason, 'gone');
    assert.equal(payload.counts.cancelledDeliveries, 2);

    // Re-enabling clears the reason and starts healthy.
    const again = (await store.updateEndpoint(orgId, gone.id, { enabled: true }, T0 + 30))!;
    assert.equal(again.disabledReason, null);
    assert.equal(again.disabledAt, null);
    assert.equal(again.health?.circuit, 'closed');
    // An operator's disable is recorded as such.
    const off = (await store.updateEndpoint(orgId, gone.id, { enabled: false }, T0 + 40))!;
    assert.equal(off.disabledReason, 'manual');
    assert.equal(off.disabledAt, T0 + 40);
  });

  test('the breaker opens, holds the queue, probes with the earliest due delivery and releases the backlog oldest first', async () => {
    const { store, orgId, endpoint, a, b, events } = await openBreaker(4);
    let health = (await store.getEndpoint(orgId, endpoint.id))!.health!;
    assert.equal(health.circuit, 'open');
    assert.equal(health.circuitRetryAt, T0 + 1_020);
    assert.deepEqual(await claim(store, T0 + 1_019), [], 'held until the cool-down ends');
    assert.equal(await store.nextDueAt(), T0 + 1_020);

    // Due at T0 + 2, the third delivery is due before a and b's retries (T0 + 100).
    const probe = await claim(store, T0 + 1_020);
    assert.deepEqual(
      probe.map((c) => c.event.id),
      [events[2]],
      'one probe: the earliest due',
    );
    assert.equal((await store.getEndpoint(orgId, endpoint.id))!.health!.circuit, 'half_open');
    assert.deepEqual(await claim(store, T0 + 1_021), [], 'nothing else while it is out');
    await store.recordAttempts([recordOf(probe[0], 503, retryAt(T0 + 5_000))], T0 + 1_030, POLICY);
    health = (await store.getEndpoint(orgId, endpoint.id))!.health!;
    assert.equal(health.circuit, 'open');
    assert.equal(health.circuitRetryAt, T0 + 1_030 + 2_000, 'the cool-down doubled');

    const second = await claim(store, T0 + 3_030);
    assert.deepEqual(
      second.map((c) => c.event.id),
      [events[3]],
      'the next probe: the earliest due again, not the failed probe before its retry',
    );
    await store.recordAttempts([recordOf(second[0], 200, DELIVERED)], T0 + 3_040, POLICY);
    health = (await store.getEndpoint(orgId, endpoint.id))!.health!;
    assert.equal(health.circuit, 'closed');
    assert.equal(health.consecutiveFailures, 0);
    const drained = await claim(store, T0 + 3_040);
    assert.equal(drained.length, 3);
    const ids = drained.map((c) => c.deliveryId);
    assert.deepEqual(ids, [...ids].sort(), 'oldest first');
    assert.equal(ids[0], a.deliveryId);
    assert.equal(ids[1], b.deliveryId);
  });

  // A probe is an attempt of its delivery: taking one before its time would
  // spend its retry schedule at the cool-down's pace.
  test('an open breaker sends no delivery before its retry time: the probe waits for one to be due', async () => {
    const { store, a } = await openBreaker(2, T0 + 5_000);
    assert.deepEqual(await claim(store, T0 + 1_020), [], 'cool-down over, nothing due');
    assert.equal(await store.nextDueAt(), T0 + 5_000);
    const probe = await claim(store, T0 + 5_000);
    assert.deepEqual(
      probe.map((c) => [c.deliveryId, c.attemptNumber]),
      [[a.deliveryId, 2]],
    );
  });

  test("a manual retry ends an open breaker's cool-down: the probe goes at once, its success drains the backlog", async () => {
    const { store, orgId, endpoint, a, b, events } = await openBreaker(3);
    const health = async () => (await store.getEndpoint(orgId, endpoint.id))!.health!;
    assert.equal((await health()).circuitRetryAt, T0 + 1_020);
    assert.deepEqual(await claim(store, T0 + 30), [], 'held by the cool-down');

    // The person fixed the receiver and retries b: the cool-down is over now.
    const retried = await store.retryDelivery(orgId, b.deliveryId, T0 + 30);
    assert.equal(typeof retried === 'object' && retried.status, 'pending');
    assert.equal((await health()).circuit, 'open');
    assert.equal((await health()).circuitRetryAt, T0 + 30);
    assert.equal(await store.nextDueAt(), T0 + 30, 'the worker looks at once');
    const probe = await claim(store, T0 + 30);
    assert.deepEqual(
      probe.map((c) => c.event.id),
      [events[2]],
      'the probe is the delivery held the longest past its due time (T0 + 2)',
    );

    // A probe in flight decides alone: another retry leaves its lease end as it is.
    const leaseEnd = (await health()).circuitRetryAt;
    assert.equal((await health()).circuit, 'half_open');
    await store.retryDelivery(orgId, b.deliveryId, T0 + 31);
    assert.equal((await health()).circuitRetryAt, leaseEnd);

    await store.recordAttempts([recordOf(probe[0], 200, DELIVERED)], T0 + 40, POLICY);
    assert.equal((await health()).circuit, 'closed');
    const drained = await claim(store, T0 + 40);
    assert.equal(drained.length, 2, 'the retried delivery and the rest of the backlog');
    assert.ok(drained.some((c) => c.deliveryId === b.deliveryId));

    // On a closed breaker a retry changes nothing of the endpoint's health.
    await store.recordAttempts(
      drained.map((c) => recordOf(c, 200, DELIVERED)),
      T0 + 50,
      POLICY,
    );
    await store.retryDelivery(orgId, a.deliveryId, T0 + 60);
    assert.equal((await health()).circuit, 'closed');
    assert.equal((await health()).circuitRetryAt, null);
  });

  test('N failed deliveries in a row disable the endpoint', async () => {
    const { store, orgId } = await fresh();
    const endpoint = await addEndpoint(store, orgId, { maxConcurrency: 10 });
    for (let i = 0; i < 3; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const claims = await claim(store, T0 + 10);
    await store.recordAttempts(
      claims.map((c) => recordOf(c, 500, FAILED)),
      T0 + 20,
      { ...POLICY, breakerThreshold: 0 },
    );
    const after = (await store.getEndpoint(orgId, endpoint.id))!;
    assert.equal(after.enabled, false);
    assert.equal(after.disabledReason, 'too_many_failures');
  });

  test('rateLimitPerSecond caps claims per one-second window', async () => {
    const { store, orgId } = await fresh();
    await addEndpoint(store, orgId, { maxConcurrency: 50, rateLimitPerSecond: 3 });
    for (let i = 0; i < 8; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const start = T0 + 500;
    assert.equal((await claim(store, start, 2)).length, 2);
    assert.equal((await claim(store, start + 100)).length, 1);
    assert.equal((await claim(store, start + 200)).length, 0);
    assert.equal(await store.nextDueAt(), T0 + 1_000, 'the next window');
    assert.equal((await claim(store, T0 + 1_000)).length, 3);
    assert.equal((await claim(store, T0 + 2_000)).length, 2);
  });

  // Nodes' clocks differ by milliseconds, and a claim's `now` may be read
  // just before a second boundary another node's claim has crossed already.
  test('a claim whose clock is behind the stored window counts into it, never back', async () => {
    const { store, orgId } = await fresh();
    await addEndpoint(store, orgId, { maxConcurrency: 50, rateLimitPerSecond: 2 });
    for (let i = 0; i < 10; i++) await ingest(store, orgId, { createdAt: T0 - 5_000 + i });
    const window = T0; // a second boundary
    assert.equal((await claim(store, window + 1)).length, 2);
    assert.equal((await claim(store, window - 1)).length, 0, 'a node 2 ms behind');
    assert.equal((await claim(store, window + 500)).length, 0, 'the window is still used up');
    assert.equal((await claim(store, window + 1_000)).length, 2);
  });

  test('FIFO sends the oldest delivery alone and waits for its retry', async () => {
    const { store, orgId } = await fresh();
    await addEndpoint(store, orgId, { maxConcurrency: 10, ordering: 'fifo' });
    for (let i = 0; i < 3; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const [head, ...rest] = await claim(store, T0 + 10);
    assert.equal(rest.length, 0, 'one at a time');
    assert.deepEqual(await claim(store, T0 + 11), []);
    await store.recordAttempts([recordOf(head, 500, retryAt(T0 + 5_000))], T0 + 20, {
      ...POLICY,
      breakerThreshold: 0,
    });
    assert.deepEqual(await claim(store, T0 + 4_999), [], 'later deliveries wait for the head');
    assert.equal(await store.nextDueAt(), T0 + 5_000);
    const retried = await claim(store, T0 + 5_000);
    assert.deepEqual(
      retried.map((c) => [c.deliveryId, c.attemptNumber]),
      [[head.deliveryId, 2]],
    );
    await store.recordAttempts([recordOf(retried[0], 200, DELIVERED)], T0 + 5_010, POLICY);
    const next = await claim(store, T0 + 5_010);
    assert.equal(next.length, 1);
    assert.ok(next[0].deliveryId > head.deliveryId);
  });

  test('a delivered attempt makes its endpoint healthy again, whichever health column was off', async () => {
    for (const [field, assignment] of Object.entries(OFF_HEALTHY)) {
      const { store, orgId } = await fresh();
      const endpoint = await addEndpoint(store, orgId);
      await ingest(store, orgId);
      const [claimed] = await claim(store, T0 + 10);
      await execute(store, `UPDATE endpoints SET ${assignment} WHERE id = '${endpoint.id}'`);
      await store.recordAttempts([recordOf(claimed!, 200, DELIVERED)], T0 + 20, POLICY);
      assert.deepEqual((await store.getEndpoint(orgId, endpoint.id))!.health, HEALTHY, field);
    }
  });
});

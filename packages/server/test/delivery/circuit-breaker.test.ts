import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { advanceUntil, publish, sleep } from '../helpers/drive.ts';
import { createEndpoint, createOrg, eventually, startHerald } from '../helpers/herald.ts';
import { createTestSchema } from '../helpers/postgres.ts';
import { startReceiver } from '../helpers/receiver.ts';

const MINUTE = 60_000;

/** An endpoint of a new organization taking one request at a time, each delivery retried every `retryMs`. */
async function oneAtATime(
  t: Awaited<ReturnType<typeof startHerald>>,
  receiverUrl: string,
  retryMs: number,
) {
  const orgId = await createOrg(t);
  const endpoint = await createEndpoint(t, orgId, {
    url: `${receiverUrl}/hooks`,
    maxConcurrency: 1,
    retryPolicy: { schedule: Array(10).fill(retryMs) },
  });
  const health = async () =>
    (await t.call('GET', `/v1/orgs/${orgId}/endpoints/${endpoint.id}`)).body.health;
  return { orgId, endpoint, health };
}

test('the breaker holds new deliveries, probes with a due one after a growing cool-down and drains the backlog by age', async () => {
  const clock = new ManualClock();
  const t = await startHerald({
    clock,
    env: { HERALD_BREAKER_THRESHOLD: '2', HERALD_BREAKER_COOLDOWN_MS: '10000' },
    worker: { pollIntervalMs: 20 },
  });
  const receiver = await startReceiver(() => ({ status: 503 }));
  try {
    // Each delivery retries after a minute; the breaker holds back even those that are due.
    const { orgId, endpoint, health } = await oneAtATime(t, receiver.url, MINUTE);
    const ids = (from = 0) => receiver.requests.slice(from).map((r) => r.headers['webhook-id']);

    const e1 = await publish(t, orgId, 'lesson.completed', { n: 1 });
    await receiver.waitFor(1);
    await eventually(async () => (await health()).consecutiveFailures === 1);
    const e2 = await publish(t, orgId, 'lesson.completed', { n: 2 });
    await receiver.waitFor(2);
    await eventually(async () => (await health()).circuit === 'open');
    assert.equal((await health()).circuitRetryAt, new Date(clock.now() + 10_000).toISOString());

    // New deliveries wait behind the open breaker, even once their own time has come.
    const e3 = await publish(t, orgId, 'lesson.completed', { n: 3 });
    const e4 = await publish(t, orgId, 'lesson.completed', { n: 4 });
    clock.advance(9_999);
    t.herald.worker.wake();
    await sleep(200);
    assert.equal(receiver.requests.length, 2, 'nothing goes out while the breaker is open');

    // After the cool-down, one probe: the earliest due delivery (e1 and e2
    // retry in a minute, not before). It fails: the cool-down doubles.
    await advanceUntil(t, clock, 1, () => receiver.requests.length === 3, { maxSteps: 1 });
    assert.deepEqual(ids(2), [e3]);
    assert.equal(receiver.requests[2].headers['webhook-attempt'], '1');
    await eventually(async () => (await health()).circuit === 'open');
    const reopened = await health();
    assert.equal(reopened.circuitRetryAt, new Date(clock.now() + 20_000).toISOString());
    clock.advance(19_999);
    t.herald.worker.wake();
    await sleep(200);
    assert.equal(receiver.requests.length, 3, 'the second cool-down is longer');

    // The receiver is back: the next probe (e4, due) closes the breaker and
    // the backlog, retries included, drains at once, oldest first.
    receiver.behave(() => ({ status: 200 }));
    await advanceUntil(t, clock, 1, () => receiver.requests.length >= 4, { maxSteps: 1 });
    await receiver.waitFor(7);
    assert.deepEqual(ids(3), [e4, e1, e2, e3]);
    assert.equal((await health()).circuit, 'closed');
    const { body } = await t.call('GET', `/v1/orgs/${orgId}/deliveries?endpoint=${endpoint.id}`);
    await eventually(async () => {
      const { body } = await t.call('GET', `/v1/orgs/${orgId}/deliveries?endpoint=${endpoint.id}`);
      return body.data.every((d: any) => d.status === 'delivered');
    });
    assert.equal(body.data.length, 4);
  } finally {
    await t.close();
    await receiver.close();
  }
});

// A person who fixed their receiver and presses Retry expects an attempt now,
// not when a cool-down that may have grown to minutes ends. Real time here:
// the cool-down is five minutes, the assertion two seconds.
for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`${dialect}: a manual retry after the receiver is fixed goes at once through an open breaker and closes it`, async () => {
    const schema = dialect === 'postgres' ? await createTestSchema('breaker') : undefined;
    const t = await startHerald({
      env: {
        HERALD_BREAKER_THRESHOLD: '2',
        HERALD_BREAKER_COOLDOWN_MS: String(5 * MINUTE),
        ...(schema && { HERALD_DATABASE_URL: schema.url }),
      },
      worker: { pollIntervalMs: 20 },
    });
    const receiver = await startReceiver(() => ({ status: 503 }));
    try {
      const { orgId, endpoint, health } = await oneAtATime(t, receiver.url, 60 * MINUTE);
      const e1 = await publish(t, orgId, 'lesson.completed', { n: 1 });
      await receiver.waitFor(1);
      const e2 = await publish(t, orgId, 'lesson.completed', { n: 2 });
      await receiver.waitFor(2);
      await eventually(async () => (await health()).circuit === 'open');

      receiver.behave(() => ({ status: 200 }));
      const { body: list } = await t.call(
        'GET',
        `/v1/orgs/${orgId}/deliveries?endpoint=${endpoint.id}`,
      );
      const second = list.data.find((d: any) => d.eventId === e2);
      const pressed = Date.now();
      const retry = await t.call('POST', `/v1/orgs/${orgId}/deliveries/${second.id}/retry`);
      assert.equal(retry.status, 202);
      await receiver.waitFor(4, 2_000);
      assert.ok(Date.now() - pressed < 2_000, 'sent within two seconds, not after five minutes');
      // The probe is the retried delivery, the only one due; its success releases the other.
      assert.deepEqual(
        receiver.requests.slice(2).map((r) => r.headers['webhook-id']),
        [e2, e1],
      );
      assert.equal((await health()).circuit, 'closed');
      await eventually(async () => {
        const { body } = await t.call(
          'GET',
          `/v1/orgs/${orgId}/deliveries?endpoint=${endpoint.id}`,
        );
        return body.data.every((d: any) => d.status === 'delivered');
      });
    } finally {
      await t.close();
      await receiver.close();
      await schema?.drop();
    }
  });
}

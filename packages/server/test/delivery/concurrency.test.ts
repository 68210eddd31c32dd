import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEndpoint, eventually, useHerald } from '../helpers/herald.ts';
import { type Receiver, startGathering, startReceiver } from '../helpers/receiver.ts';

const ctx = useHerald();
const receivers: Receiver[] = [];

test('100 events to 3 endpoints: all delivered, maxConcurrency never exceeded', async () => {
  const limits = [1, 3, 5];
  for (const maxConcurrency of limits) {
    // Slow enough that requests overlap even when the machine is busy publishing.
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 60 }));
    receivers.push(receiver);
    await createEndpoint(ctx.t, ctx.org, {
      url: receiver.url,
      eventTypes: ['load'],
      maxConcurrency,
    });
  }
  for (let i = 0; i < 100; i++) {
    const { status } = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
      type: 'load',
      payload: { i },
    });
    assert.equal(status, 202);
  }
  await Promise.all(receivers.map((receiver) => receiver.waitFor(100, 60_000)));
  receivers.forEach((receiver, index) => {
    assert.ok(
      receiver.maxConcurrent <= limits[index],
      `endpoint ${index}: ${receiver.maxConcurrent} > ${limits[index]}`,
    );
    const ids = receiver.requests.map((request) => JSON.parse(request.body).i);
    assert.deepEqual(new Set(ids).size, 100);
  });
  // the limit is a ceiling, not a serialisation: the wider endpoints did run requests side by side
  assert.ok(receivers[2].maxConcurrent > 1);
  const delivered = await eventually(async () => {
    const { body } = await ctx.t.call(
      'GET',
      `/v1/orgs/${ctx.org}/deliveries?status=delivered&limit=100`,
    );
    return body.data.length === 100 && body;
  });
  assert.equal(delivered.data.length, 100);
});

test('endpoints on one origin do not queue behind each other: ten endpoints of 10 have 100 requests open at once', async () => {
  // A request waiting for a socket (past undici's old per-origin floor of 64)
  // would spend its timeout there instead of on the wire; here the 100th would never come.
  const receiver = await startGathering(100);
  try {
    for (let i = 0; i < 10; i++)
      await createEndpoint(ctx.t, ctx.org, {
        url: `${receiver.origin}/endpoint/${i}`,
        eventTypes: ['shared.origin'],
        maxConcurrency: 10,
      });
    for (let i = 0; i < 10; i++)
      await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
        type: 'shared.origin',
        payload: { i },
      });
    await eventually(async () => {
      const { body } = await ctx.t.call(
        'GET',
        `/v1/orgs/${ctx.org}/deliveries?status=delivered&eventType=shared.origin&limit=100`,
      );
      return body.data.length === 100;
    });
    assert.equal(receiver.received, 100, 'each delivery was sent once');
  } finally {
    await receiver.close();
  }
});

test('disabling an endpoint cancels its pending deliveries; deleting does too', async () => {
  const receiver = await startReceiver(() => ({ status: 500 }));
  const hour = 60 * 60 * 1000;
  const disabled = await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['cancel'],
    retryPolicy: { schedule: [hour] },
  });
  const deleted = await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['cancel'],
    retryPolicy: { schedule: [hour] },
  });
  const { body: event } = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
    type: 'cancel',
    payload: {},
  });
  const statusOf = async (endpointId: string) =>
    (
      await ctx.t.call(
        'GET',
        `/v1/orgs/${ctx.org}/deliveries?event=${event.id}&endpoint=${endpointId}`,
      )
    ).body.data[0];
  // first attempts fail and schedule a retry an hour out
  await eventually(
    async () =>
      (await statusOf(disabled.id)).attemptCount === 1 &&
      (await statusOf(deleted.id)).attemptCount === 1,
  );

  await ctx.t.call('PATCH', `/v1/orgs/${ctx.org}/endpoints/${disabled.id}`, { enabled: false });
  await ctx.t.call('DELETE', `/v1/orgs/${ctx.org}/endpoints/${deleted.id}`);
  assert.equal((await statusOf(disabled.id)).status, 'cancelled');
  assert.equal((await statusOf(deleted.id)).status, 'cancelled');
  assert.equal((await statusOf(disabled.id)).nextAttemptAt, null);

  // a disabled endpoint receives nothing new, and its deliveries can't be retried by hand
  const next = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
    type: 'cancel',
    payload: {},
  });
  assert.equal(next.body.deliveries, 0);
  const dlv = (await statusOf(disabled.id)).id;
  assert.equal(
    (await ctx.t.call('POST', `/v1/orgs/${ctx.org}/deliveries/${dlv}/retry`)).status,
    409,
  );
});

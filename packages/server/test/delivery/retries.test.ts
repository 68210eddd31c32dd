import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEndpoint, eventually, useHerald } from '../helpers/herald.ts';
import { startReceiver } from '../helpers/receiver.ts';

const ctx = useHerald();
const receiverThat = startReceiver;

async function publish(type: string, payload: object = { ok: true }) {
  const { body } = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, { type, payload });
  return body.id as string;
}

async function settledDelivery(eventId: string, status: string) {
  return eventually(async () => {
    const { body } = await ctx.t.call('GET', `/v1/orgs/${ctx.org}/deliveries?event=${eventId}`);
    const delivery = body.data[0];
    if (delivery?.status !== status) return undefined;
    return (await ctx.t.call('GET', `/v1/orgs/${ctx.org}/deliveries/${delivery.id}`)).body;
  });
}

test('a receiver that fails twice then succeeds gets three attempts, all recorded', async () => {
  const receiver = await receiverThat((_request, index) =>
    index < 2 ? { status: 500, body: `failure ${index + 1}` } : { status: 200, body: 'thanks' },
  );
  const endpoint = await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['flaky'],
    retryPolicy: { schedule: [20, 20, 20] },
  });
  const eventId = await publish('flaky');
  const delivery = await settledDelivery(eventId, 'delivered');

  assert.equal(delivery.attemptCount, 3);
  assert.deepEqual(
    delivery.attempts.map((a: any) => [a.number, a.statusCode, a.error, a.responseBody]),
    [
      [1, 500, 'http_status', 'failure 1'],
      [2, 500, 'http_status', 'failure 2'],
      [3, 200, null, 'thanks'],
    ],
  );
  assert.deepEqual(
    receiver.requests.map((r) => r.headers['webhook-attempt']),
    ['1', '2', '3'],
  );
  // the id is stable across retries so receivers can drop duplicates
  assert.equal(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size, 1);
  const stats = (await ctx.t.call('GET', `/v1/orgs/${ctx.org}/endpoints/${endpoint.id}/stats`))
    .body;
  assert.equal(stats.delivered, 1);
  assert.equal(stats.attemptsSucceeded, 1);
  assert.equal(stats.attemptsFailed, 2);
  assert.ok(Date.parse(stats.lastSuccessAt) >= Date.parse(stats.lastFailureAt));
});

test('a slow receiver past the timeout is a timeout attempt, then the delivery fails when attempts run out', async () => {
  const receiver = await receiverThat(() => ({ status: 200, delayMs: 3_000 }));
  await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['slow'],
    timeoutMs: 1000,
    retryPolicy: { schedule: [] },
  });
  const eventId = await publish('slow');
  const delivery = await settledDelivery(eventId, 'failed');
  assert.equal(delivery.attempts.length, 1);
  assert.equal(delivery.attempts[0].error, 'timeout');
  assert.equal(delivery.attempts[0].statusCode, null);
  assert.match(delivery.attempts[0].errorMessage, /1000 ms/);
  assert.equal(delivery.nextAttemptAt, null);
});

test('connection refused is recorded with its kind', async () => {
  const gone = await receiverThat(() => ({ status: 200 }));
  await gone.close();
  await createEndpoint(ctx.t, ctx.org, {
    url: gone.url,
    eventTypes: ['refused'],
    retryPolicy: { schedule: [] },
  });
  const delivery = await settledDelivery(await publish('refused'), 'failed');
  assert.equal(delivery.attempts[0].error, 'connection_refused');
});

test('only the first 4 KiB of a response body are kept', async () => {
  const receiver = await receiverThat(() => ({ status: 400, body: 'y'.repeat(100_000) }));
  await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['chatty'],
    retryPolicy: { schedule: [] },
  });
  const delivery = await settledDelivery(await publish('chatty'), 'failed');
  assert.equal(delivery.attempts[0].responseBody, 'y'.repeat(4096));
  assert.equal(delivery.lastStatusCode, 400);
});

test('a redirect is a failed attempt and is not followed', async () => {
  const target = await receiverThat(() => ({ status: 200 }));
  const receiver = await receiverThat(() => ({
    status: 302,
    headers: { location: `${target.url}/elsewhere` },
  }));
  await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['moved'],
    retryPolicy: { schedule: [] },
  });
  const delivery = await settledDelivery(await publish('moved'), 'failed');
  assert.equal(delivery.attempts[0].statusCode, 302);
  assert.equal(target.requests.length, 0);
});

test('a manual retry makes a fresh attempt now, also for a failed delivery', async () => {
  let healthy = false;
  const receiver = await receiverThat(() => ({ status: healthy ? 200 : 503 }));
  await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['manual'],
    retryPolicy: { schedule: [] },
  });
  const failed = await settledDelivery(await publish('manual'), 'failed');
  healthy = true;
  const retried = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/deliveries/${failed.id}/retry`);
  assert.equal(retried.status, 202);
  assert.equal(retried.body.status, 'pending');
  const delivered = await settledDelivery(failed.eventId, 'delivered');
  assert.deepEqual(
    delivered.attempts.map((a: any) => [a.number, a.statusCode]),
    [
      [1, 503],
      [2, 200],
    ],
  );
  assert.equal(receiver.requests.length, 2);
});

test('the test event goes to that endpoint only', async () => {
  const receiver = await receiverThat(() => ({ status: 200 }));
  const other = await receiverThat(() => ({ status: 200 }));
  const endpoint = await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['never.sent'],
  });
  await createEndpoint(ctx.t, ctx.org, { url: other.url });
  const { status, body } = await ctx.t.call(
    'POST',
    `/v1/orgs/${ctx.org}/endpoints/${endpoint.id}/test`,
  );
  assert.equal(status, 202);
  assert.equal(body.deliveries, 1);
  const [request] = await receiver.waitFor(1);
  assert.equal(request.headers['webhook-event-type'], 'webhook.test');
  assert.equal(JSON.parse(request.body).endpointId, endpoint.id);
  assert.equal(other.requests.length, 0);
});

test('recover puts an endpoint’s failed deliveries back in the queue', async () => {
  let healthy = false;
  const receiver = await receiverThat(() => ({ status: healthy ? 200 : 500 }));
  const endpoint = await createEndpoint(ctx.t, ctx.org, {
    url: receiver.url,
    eventTypes: ['recover'],
    retryPolicy: { schedule: [] },
  });
  const since = new Date().toISOString();
  const ids = [await publish('recover'), await publish('recover')];
  for (const id of ids) await settledDelivery(id, 'failed');
  healthy = true;
  const { status, body } = await ctx.t.call(
    'POST',
    `/v1/orgs/${ctx.org}/endpoints/${endpoint.id}/recover`,
    { since },
  );
  assert.equal(status, 202);
  assert.equal(body.recovered, 2);
  for (const id of ids) await settledDelivery(id, 'delivered');

  // A disabled endpoint's deliveries would wait, pending, for good: refused as a retry is.
  await ctx.t.call('PATCH', `/v1/orgs/${ctx.org}/endpoints/${endpoint.id}`, { enabled: false });
  const refused = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/endpoints/${endpoint.id}/recover`, {
    since,
  });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'WHK_ERR_CONFLICT');
});

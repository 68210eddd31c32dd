import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { createEndpoint, createOrg, startHerald, type TestHerald } from '../helpers/herald.ts';
import { builtInExample } from '../helpers/seeds.ts';

const HOUR = 60 * 60 * 1000;
const clock = new ManualClock(Date.UTC(2026, 10, 24, 9));
let t: TestHerald;
let org: string;

before(async () => {
  t = await startHerald({ listen: false, clock });
  org = await createOrg(t);
  await createEndpoint(t, org, {
    url: 'https://a.example.com',
    eventTypes: ['certificate_completed'],
  });
  await createEndpoint(t, org, { url: 'https://b.example.com' });
  await createEndpoint(t, org, {
    url: 'https://c.example.com',
    eventTypes: ['certificate_expired'],
  });
  await createEndpoint(t, org, { url: 'https://d.example.com', enabled: false });
});
after(() => t.close());

test('publishing creates one pending delivery per enabled, subscribed endpoint', async () => {
  const payload = { ...builtInExample('certificate_completed'), expires: null };
  const { status, body } = await t.call('POST', `/v1/orgs/${org}/events`, {
    type: 'certificate_completed',
    payload,
  });
  assert.equal(status, 202);
  assert.match(body.id, /^evt_/);
  assert.equal(body.type, 'certificate_completed');
  assert.equal(body.createdAt, new Date(clock.now()).toISOString());
  assert.equal(body.deliveries, 2);

  const event = await t.call('GET', `/v1/orgs/${org}/events/${body.id}`);
  assert.deepEqual(event.body.payload, payload);
  const deliveries = await t.call('GET', `/v1/orgs/${org}/deliveries?event=${body.id}`);
  assert.equal(deliveries.body.data.length, 2);
  for (const delivery of deliveries.body.data) {
    assert.match(delivery.id, /^dlv_/);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.attemptCount, 0);
    assert.equal(delivery.eventType, 'certificate_completed');
    assert.equal(delivery.lastStatusCode, null);
  }
  const listed = await t.call('GET', `/v1/orgs/${org}/events?type=certificate_completed`);
  assert.ok(listed.body.data.some((e: { id: string }) => e.id === body.id));
});

test('an idempotency key returns the original event for 24 hours and creates nothing', async () => {
  const expired = builtInExample('certificate_expired');
  const publish = (payload: object) =>
    t.call('POST', `/v1/orgs/${org}/events`, {
      type: 'certificate_expired',
      payload: { ...expired, ...payload },
      idempotencyKey: 'cert-42-expired',
    });
  const first = await publish({ __v: 1 });
  assert.equal(first.status, 202);

  clock.advance(23 * HOUR);
  const again = await publish({ __v: 2 });
  assert.equal(again.status, 200);
  assert.equal(again.body.id, first.body.id);
  assert.equal(again.body.deliveries, first.body.deliveries);
  const deliveries = await t.call(
    'GET',
    `/v1/orgs/${org}/deliveries?eventType=certificate_expired&limit=100`,
  );
  assert.equal(deliveries.body.data.length, first.body.deliveries);

  clock.advance(2 * HOUR);
  const later = await publish({ __v: 3 });
  assert.equal(later.status, 202);
  assert.notEqual(later.body.id, first.body.id);
  assert.deepEqual((await t.call('GET', `/v1/orgs/${org}/events/${later.body.id}`)).body.payload, {
    ...expired,
    __v: 3,
  });
});

test('idempotency keys are per organization', async () => {
  const other = await createOrg(t, 'Other');
  const a = await t.call('POST', `/v1/orgs/${org}/events`, {
    type: 'x.y',
    payload: {},
    idempotencyKey: 'shared',
  });
  const b = await t.call('POST', `/v1/orgs/${other}/events`, {
    type: 'x.y',
    payload: {},
    idempotencyKey: 'shared',
  });
  assert.equal(a.status, 202);
  assert.equal(b.status, 202);
  assert.notEqual(a.body.id, b.body.id);
});

test('deliveries list filters by status and endpoint and paginates', async () => {
  const all = await t.call('GET', `/v1/orgs/${org}/deliveries?status=pending&limit=100`);
  assert.ok(all.body.data.length >= 3);
  const endpointId = all.body.data[0].endpointId;
  const one = await t.call('GET', `/v1/orgs/${org}/deliveries?endpoint=${endpointId}&limit=100`);
  assert.ok(one.body.data.every((d: { endpointId: string }) => d.endpointId === endpointId));
  const page = await t.call('GET', `/v1/orgs/${org}/deliveries?limit=1`);
  assert.equal(page.body.data.length, 1);
  const next = await t.call(
    'GET',
    `/v1/orgs/${org}/deliveries?limit=1&cursor=${page.body.nextCursor}`,
  );
  assert.notEqual(next.body.data[0].id, page.body.data[0].id);
  const detail = await t.call('GET', `/v1/orgs/${org}/deliveries/${page.body.data[0].id}`);
  assert.deepEqual(detail.body.attempts, []);
  assert.equal(
    (await t.call('GET', `/v1/orgs/${org}/deliveries?status=delivered`)).body.data.length,
    0,
  );
  // A time window: since is inclusive, until exclusive, both ISO 8601.
  const window = (query: string) =>
    t.call('GET', `/v1/orgs/${org}/deliveries?limit=100&${query}`).then((r) => r.body.data);
  const everything = await window('');
  assert.ok(everything.length < 100, 'one page holds them all');
  const oldest = everything.at(-1).createdAt;
  assert.deepEqual(await window(`until=${oldest}`), []);
  assert.ok(
    (await window(`since=${oldest}`)).some((d: { createdAt: string }) => d.createdAt === oldest),
  );
  assert.equal((await t.call('GET', `/v1/orgs/${org}/deliveries?until=yesterday`)).status, 400);
});

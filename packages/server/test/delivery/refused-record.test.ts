import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptRecord, Store } from '../../src/store/store.ts';
import { createEndpoint, eventually, useHerald } from '../helpers/herald.ts';
import { startReceiver } from '../helpers/receiver.ts';

const ctx = useHerald();

test('an attempt the store refuses to record holds up neither the others nor new deliveries', async () => {
  // This receiver's answer is one the store will not take (as PostgreSQL refused NUL characters).
  const poisoned = await startReceiver(() => ({ status: 200, body: 'unstorable' }));
  const fine = await startReceiver(() => ({ status: 200, body: 'ok' }));
  await createEndpoint(ctx.t, ctx.org, { url: poisoned.url, eventTypes: ['refusal.test'] });
  await createEndpoint(ctx.t, ctx.org, { url: fine.url, eventTypes: ['refusal.test', 'later'] });
  const { store } = ctx.t.herald;
  const refuses = (records: AttemptRecord[]) =>
    records.some((record) => record.result.responseBody === 'unstorable');
  // On the store class's own methods: the encryption layer in front of it
  // calls the store's recordAndClaim, so a wrapper on the front one would call itself.
  const { recordAndClaim, recordAttempts } = Object.getPrototypeOf(store) as Store;
  store.recordAndClaim = async function (this: Store, records, ...rest) {
    if (refuses(records)) throw new Error('invalid byte sequence');
    return recordAndClaim.call(this, records, ...rest);
  };
  store.recordAttempts = async function (this: Store, records, ...rest) {
    if (refuses(records)) throw new Error('invalid byte sequence');
    return recordAttempts.call(this, records, ...rest);
  };

  const publish = async (type: string) =>
    (await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, { type, payload: {} })).body.id;
  const eventId = await publish('refusal.test');
  const deliveries = async (event: string) =>
    (await ctx.t.call('GET', `/v1/orgs/${ctx.org}/deliveries?event=${event}`)).body.data;
  await eventually(async () =>
    (await deliveries(eventId)).every((d: { status: string }) => d.status === 'delivered'),
  );
  const attempts = async (deliveryId: string) =>
    (await ctx.t.call('GET', `/v1/orgs/${ctx.org}/deliveries/${deliveryId}`)).body.attempts;
  const bodies = [];
  for (const delivery of await deliveries(eventId))
    bodies.push(
      ...(await attempts(delivery.id)).map((a: { responseBody: string }) => a.responseBody),
    );
  assert.deepEqual(
    bodies.sort(),
    [null, 'ok'],
    'one attempt each, the refused one without its text',
  );

  // The worker goes on claiming.
  const later = await publish('later');
  await eventually(async () => (await deliveries(later))[0]?.status === 'delivered');
  assert.equal(poisoned.requests.length, 1, 'the refused attempt was not sent again');
});

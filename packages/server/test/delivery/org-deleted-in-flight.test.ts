import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { publish } from '../helpers/drive.ts';
import { startGated } from '../helpers/gated-receiver.ts';
import { createEndpoint, createOrg, eventually, startHerald } from '../helpers/herald.ts';
import { createTestSchema } from '../helpers/postgres.ts';
import { startReceiver } from '../helpers/receiver.ts';

async function scenario(env: Record<string, string>) {
  const t = await startHerald({ env });
  const gated = await startGated();
  const fine = await startReceiver();
  after(async () => {
    await gated.close();
    await t.close();
  });
  const doomed = await createOrg(t, 'Doomed');
  const other = await createOrg(t, 'Other');
  await createEndpoint(t, doomed, { url: gated.url, eventTypes: ['x'], timeoutMs: 30_000 });
  await createEndpoint(t, other, { url: fine.url, eventTypes: ['y'] });

  await publish(t, doomed, 'x');
  await gated.arrived(1); // the delivery is in flight (status 'sending')
  assert.equal((await t.call('DELETE', `/v1/orgs/${doomed}`)).status, 204);
  gated.release(200); // its answer now has no delivery row to settle

  // Another organization's event must still be delivered.
  const eventId = await publish(t, other, 'y');
  const status = await eventually(async () => {
    const { body } = await t.call('GET', `/v1/orgs/${other}/deliveries?event=${eventId}`);
    return body.data[0]?.status === 'delivered' && 'delivered';
  }, 10_000).catch(() => 'stuck');
  assert.equal(
    status,
    'delivered',
    `worker inFlight=${t.herald.worker.inFlight}, other receiver got ${fine.requests.length}`,
  );
}

test('SQLite: deleting an organization while one of its deliveries is in flight does not stall the worker', () =>
  scenario({}));

test('PostgreSQL: same', async () => {
  const schema = await createTestSchema('review');
  after(() => schema.drop());
  await scenario({ HERALD_DATABASE_URL: schema.url });
});

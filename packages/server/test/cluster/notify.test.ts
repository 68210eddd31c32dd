import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEndpoint, createOrg, startHerald, type TestHerald } from '../helpers/herald.ts';
import { createTestSchema, type TestSchema } from '../helpers/postgres.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';

let schema: TestSchema;
let receiver: Receiver;
const heralds: TestHerald[] = [];

before(async () => {
  schema = await createTestSchema('notify');
  receiver = await startReceiver();
});
after(async () => {
  for (const herald of heralds) await herald.close();
  await receiver.close();
  await schema.drop();
});

test('an ingest on one node wakes the idle worker of another through LISTEN/NOTIFY', async () => {
  const env = { HERALD_DATABASE_URL: schema.url };
  // The API node runs no worker; the worker node would otherwise only look
  // again after its poll interval, far longer than this test waits.
  const apiNode = await startHerald({ env, listen: false });
  const workerNode = await startHerald({ env, worker: { pollIntervalMs: 600_000 } });
  heralds.push(apiNode, workerNode);
  const orgId = await createOrg(apiNode);
  await createEndpoint(apiNode, orgId, { url: `${receiver.url}/hook` });
  // Let the worker node finish its start-up claim and go to sleep.
  await new Promise((resolve) => setTimeout(resolve, 200));

  const { status, body: event } = await apiNode.call('POST', `/v1/orgs/${orgId}/events`, {
    type: 'learner.check',
    payload: { learner: 'ada' },
  });
  assert.equal(status, 202);
  const [request] = await receiver.waitFor(1, 10_000);
  assert.equal(request.headers['webhook-id'], event.id);
});

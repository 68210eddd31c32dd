import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createEndpoint,
  createOrg,
  eventually,
  startHerald,
  type TestHerald,
} from '../helpers/herald.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';

let t: TestHerald;
let receiver: Receiver;
before(async () => {
  t = await startHerald();
  receiver = await startReceiver((_request, index) => ({ status: index === 0 ? 500 : 200 }));
});
after(async () => {
  await t.close();
  await receiver.close();
});

test('healthz and readyz answer without a token', async () => {
  const health = await fetch(`${t.url}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as any).status, 'ok');
  assert.equal((await fetch(`${t.url}/readyz`)).status, 200);
});

test('openapi.json describes the API from the route schemas', async () => {
  const document: any = await (await fetch(`${t.url}/openapi.json`)).json();
  assert.match(document.openapi, /^3\./);
  for (const path of [
    '/v1/orgs',
    '/v1/orgs/{org}/endpoints',
    '/v1/orgs/{org}/events',
    '/v1/orgs/{org}/deliveries/{dlv}/retry',
  ]) {
    assert.ok(document.paths[path], `missing ${path}`);
  }
  const create = document.paths['/v1/orgs/{org}/endpoints'].post;
  assert.ok(create.requestBody.content['application/json'].schema.properties.retryPolicy);
});

test('metrics count attempts by outcome, time them and show the queue', async () => {
  const org = await createOrg(t);
  await createEndpoint(t, org, { url: receiver.url, retryPolicy: { schedule: [10] } });
  await t.call('POST', `/v1/orgs/${org}/events`, { type: 'metered', payload: {} });
  await receiver.waitFor(2);
  const text = await eventually(async () => {
    const body = await (await fetch(`${t.url}/metrics`)).text();
    return /outcome="delivered"} 1/.test(body) && body;
  });
  assert.match(text, /herald_delivery_attempts_total{outcome="retrying"} 1/);
  assert.match(text, /herald_delivery_attempts_total{outcome="delivered"} 1/);
  assert.match(text, /herald_attempt_duration_seconds_count 2/);
  assert.match(text, /herald_events_ingested_total 1/);
  assert.match(text, /herald_queue_depth 0/);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createOrg, startHerald, type TestHerald } from '../helpers/herald.ts';

let t: TestHerald;
let org: string;
before(async () => {
  t = await startHerald({ listen: false });
  org = await createOrg(t);
});
after(() => t.close());

const full = {
  name: 'Certificate Notifications',
  url: 'https://api.example.com/webhooks',
  eventTypes: ['certificate_completed', 'certificate_expired'],
  enabled: true,
  auth: { type: 'bearer', token: 'tok-123' },
  headers: { 'X-Custom': 'value' },
  timeoutMs: 8000,
  maxConcurrency: 3,
  retryPolicy: 'rapid',
};

test('create returns every field, the id and the secret once', async () => {
  const { status, body } = await t.call('POST', `/v1/orgs/${org}/endpoints`, full);
  assert.equal(status, 201);
  assert.match(body.id, /^ep_/);
  assert.match(body.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  assert.equal(Buffer.from(body.secret.slice(6), 'base64').length, 32);
  const { id, secret, createdAt, updatedAt, health, ...rest } = body;
  assert.deepEqual(rest, {
    ...full,
    auth: { type: 'bearer' },
    payloadFormat: 'raw',
    rateLimitPerSecond: null,
    ordering: 'none',
    disabledReason: null,
    disabledAt: null,
  });
  assert.equal(health.circuit, 'closed');
  assert.equal(createdAt, updatedAt);

  const read = await t.call('GET', `/v1/orgs/${org}/endpoints/${id}`);
  assert.equal(read.body.secret, undefined);
  assert.deepEqual(read.body.auth, { type: 'bearer' });
  assert.ok(!JSON.stringify(read.body).includes('tok-123'));
  const revealed = await t.call('GET', `/v1/orgs/${org}/endpoints/${id}/secret`);
  assert.equal(revealed.body.secret, secret);
});

test('defaults: all event types, enabled, 5 s timeout, concurrency 5, standard retries, raw payload', async () => {
  const { body } = await t.call('POST', `/v1/orgs/${org}/endpoints`, {
    name: 'Minimal',
    url: 'https://hooks.example.com/x',
  });
  assert.equal(body.eventTypes, null);
  assert.equal(body.enabled, true);
  assert.equal(body.auth, null);
  assert.deepEqual(body.headers, {});
  assert.equal(body.timeoutMs, 5000);
  assert.equal(body.maxConcurrency, 5);
  assert.equal(body.retryPolicy, 'standard');
  assert.equal(body.payloadFormat, 'raw');
});

test('reads redact every kind of credential but keep what identifies it', async () => {
  const basic = await t.call('POST', `/v1/orgs/${org}/endpoints`, {
    name: 'b',
    url: 'https://h.example.com',
    auth: { type: 'basic', username: 'hr', password: 'pw-secret' },
  });
  const apiKey = await t.call('POST', `/v1/orgs/${org}/endpoints`, {
    name: 'k',
    url: 'https://h.example.com',
    auth: { type: 'apiKey', header: 'X-API-Key', value: 'key-secret' },
  });
  assert.deepEqual(basic.body.auth, { type: 'basic', username: 'hr' });
  assert.deepEqual(apiKey.body.auth, { type: 'apiKey', header: 'X-API-Key' });
  const list = await t.call('GET', `/v1/orgs/${org}/endpoints`);
  const text = JSON.stringify(list.body);
  assert.ok(
    !text.includes('pw-secret') && !text.includes('key-secret') && !text.includes('whsec_'),
  );
});

test('patch changes only the given fields; delete hides the endpoint', async () => {
  const { body: created } = await t.call('POST', `/v1/orgs/${org}/endpoints`, full);
  const patched = await t.call('PATCH', `/v1/orgs/${org}/endpoints/${created.id}`, {
    enabled: false,
    retryPolicy: { schedule: [1000, 60000] },
    payloadFormat: 'envelope',
  });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.enabled, false);
  assert.deepEqual(patched.body.retryPolicy, { schedule: [1000, 60000] });
  assert.equal(patched.body.payloadFormat, 'envelope');
  assert.equal(patched.body.name, full.name);
  assert.deepEqual(patched.body.eventTypes, full.eventTypes);

  assert.equal((await t.call('DELETE', `/v1/orgs/${org}/endpoints/${created.id}`)).status, 204);
  assert.equal((await t.call('GET', `/v1/orgs/${org}/endpoints/${created.id}`)).status, 404);
  assert.equal((await t.call('DELETE', `/v1/orgs/${org}/endpoints/${created.id}`)).status, 404);
  const list = await t.call('GET', `/v1/orgs/${org}/endpoints?limit=100`);
  assert.ok(!list.body.data.some((endpoint: { id: string }) => endpoint.id === created.id));
});

test('stats of a new endpoint are all zero', async () => {
  const { body } = await t.call('POST', `/v1/orgs/${org}/endpoints`, {
    name: 's',
    url: 'https://h.example.com',
  });
  const stats = await t.call('GET', `/v1/orgs/${org}/endpoints/${body.id}/stats`);
  assert.deepEqual(stats.body, {
    delivered: 0,
    failed: 0,
    pending: 0,
    attemptsSucceeded: 0,
    attemptsFailed: 0,
    lastSuccessAt: null,
    lastFailureAt: null,
  });
});

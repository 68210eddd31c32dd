import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createEndpoint,
  createOrg,
  eventually,
  startHerald,
  type TestHerald,
} from '../helpers/herald.ts';

/** Calls the API with an organization key instead of the admin token. */
async function withKey(t: TestHerald, key: string, method: string, url: string, body?: unknown) {
  const response = await t.herald.api.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${key}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

describe('organization API keys', () => {
  let t: TestHerald;
  let orgA: string;
  let orgB: string;
  let keyA: { id: string; key: string; prefix: string };
  const b: Record<string, string> = {};

  before(async () => {
    t = await startHerald({ listen: false });
    orgA = await createOrg(t, 'A');
    orgB = await createOrg(t, 'B');
    const created = await t.call('POST', `/v1/orgs/${orgA}/api-keys`, { name: 'ci' });
    assert.equal(created.status, 201);
    keyA = created.body;
    // Something of every kind in B, so a leak would have something to show.
    b.org = orgB;
    b.ep = (await createEndpoint(t, orgB, { url: 'https://hooks.example.com/b' })).id;
    const event = await t.call('POST', `/v1/orgs/${orgB}/events`, { type: 'x', payload: {} });
    b.evt = event.body.id;
    b.dlv = (await t.call('GET', `/v1/orgs/${orgB}/deliveries`)).body.data[0].id;
    b.key = (await t.call('POST', `/v1/orgs/${orgB}/api-keys`, {})).body.id;
  });
  after(() => t.close());

  test('the key is shown once; lists show its prefix and last use, never the key', async () => {
    assert.match(keyA.key, /^hk_[A-Za-z0-9_-]{43}$/);
    assert.equal(keyA.prefix, keyA.key.slice(0, 11));
    const before = await t.call('GET', `/v1/orgs/${orgA}/api-keys`);
    assert.equal(before.body.data.length, 1);
    assert.equal(before.body.data[0].key, undefined);
    assert.equal(before.body.data[0].prefix, keyA.prefix);
    assert.equal(before.body.data[0].lastUsedAt, null);

    const own = await withKey(t, keyA.key, 'GET', `/v1/orgs/${orgA}/endpoints`);
    assert.equal(own.status, 200);
    const afterUse = await t.call('GET', `/v1/orgs/${orgA}/api-keys`);
    assert.ok(Date.parse(afterUse.body.data[0].lastUsedAt) > 0);
  });

  test('a key works inside its organization', async () => {
    const made = await withKey(t, keyA.key, 'POST', `/v1/orgs/${orgA}/endpoints`, {
      name: 'mine',
      url: 'https://hooks.example.com/a',
    });
    assert.equal(made.status, 201);
    const event = await withKey(t, keyA.key, 'POST', `/v1/orgs/${orgA}/events`, {
      type: 'x',
      payload: {},
    });
    assert.equal(event.status, 202);
    assert.equal((await withKey(t, keyA.key, 'GET', `/v1/orgs/${orgA}`)).status, 200);
  });

  test('every route of another organization answers 404 to a scoped key, and nothing changes', async () => {
    const orgRoutes = t.herald.api.heraldRoutes.filter(
      (r) => r.url.startsWith('/v1/orgs/:org') && r.method !== 'HEAD',
    );
    assert.ok(orgRoutes.length >= 15, `only ${orgRoutes.length} organization routes found`);
    for (const route of orgRoutes) {
      const url = route.url.replace(/:(\w+)/g, (_, name: string) => b[name] ?? 'x');
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : { name: 'x' };
      const answer = await withKey(t, keyA.key, route.method, url, body);
      assert.equal(answer.status, 404, `${route.method} ${url} answered ${answer.status}`);
      assert.equal(answer.body.error.code, 'WHK_ERR_NOT_FOUND');
    }
    // B is untouched: its endpoint, key and organization survive the DELETEs above.
    assert.equal((await t.call('GET', `/v1/orgs/${orgB}`)).body.name, 'B');
    assert.equal((await t.call('GET', `/v1/orgs/${orgB}/endpoints/${b.ep}`)).status, 200);
    assert.equal((await t.call('GET', `/v1/orgs/${orgB}/api-keys`)).body.data.length, 1);
  });

  test('organizations and their lifecycle need the admin token', async () => {
    for (const [method, url, body] of [
      ['POST', '/v1/orgs', { name: 'sneaky' }],
      ['GET', '/v1/orgs', undefined],
      ['PATCH', `/v1/orgs/${orgA}`, { name: 'renamed' }],
      ['DELETE', `/v1/orgs/${orgA}`, undefined],
    ] as const) {
      const answer = await withKey(t, keyA.key, method, url, body);
      assert.equal(answer.status, 403, `${method} ${url}`);
      assert.equal(answer.body.error.code, 'WHK_ERR_FORBIDDEN');
    }
    // Every non-organization /v1 route that changes something is admin-only too.
    for (const route of t.herald.api.heraldRoutes) {
      if (!route.url.startsWith('/v1/') || route.url.startsWith('/v1/orgs/:org')) continue;
      if (route.method === 'GET' || route.method === 'HEAD') continue;
      const answer = await withKey(t, keyA.key, route.method, route.url.replace(/:\w+/g, 'x'), {});
      assert.equal(answer.status, 403, `${route.method} ${route.url}`);
    }
  });

  test('a revoked key stops working at once', async () => {
    const extra = (await t.call('POST', `/v1/orgs/${orgA}/api-keys`, { name: 'temp' })).body;
    assert.equal((await withKey(t, extra.key, 'GET', `/v1/orgs/${orgA}/events`)).status, 200);
    // Another organization's key cannot revoke it.
    const other = (await t.call('POST', `/v1/orgs/${orgB}/api-keys`, {})).body;
    const foreign = await withKey(t, other.key, 'DELETE', `/v1/orgs/${orgA}/api-keys/${extra.id}`);
    assert.equal(foreign.status, 404);
    const revoked = await t.call('DELETE', `/v1/orgs/${orgA}/api-keys/${extra.id}`);
    assert.equal(revoked.status, 204);
    const refused = await withKey(t, extra.key, 'GET', `/v1/orgs/${orgA}/events`);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'WHK_ERR_UNAUTHORIZED');
    const list = await t.call('GET', `/v1/orgs/${orgA}/api-keys`);
    assert.ok(!list.body.data.some((k: { id: string }) => k.id === extra.id));
    assert.equal((await t.call('DELETE', `/v1/orgs/${orgA}/api-keys/${extra.id}`)).status, 404);
    // The other key still works.
    await eventually(
      async () => (await withKey(t, keyA.key, 'GET', `/v1/orgs/${orgA}`)).status === 200,
    );
  });

  test('an unknown hk_ key is a 401', async () => {
    const answer = await withKey(t, 'hk_not-a-real-key', 'GET', `/v1/orgs/${orgA}`);
    assert.equal(answer.status, 401);
  });
});

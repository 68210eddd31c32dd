import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useHerald } from '../helpers/herald.ts';

describe('GET /v1/me: who the bearer token is', () => {
  const h = useHerald({ listen: false });
  const asToken = async (token: string | undefined) => {
    const response = await h.t.herald.api.inject({
      method: 'GET',
      url: '/v1/me',
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.statusCode, body: response.json() };
  };

  test('the admin token is the admin, and nothing more', async () => {
    const answer = await h.t.call('GET', '/v1/me');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { kind: 'admin' });
  });

  test('an organization key names its organization and itself', async () => {
    const created = await h.t.call('POST', `/v1/orgs/${h.org}/api-keys`, { name: 'who' });
    const answer = await asToken(created.body.key);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { kind: 'org', orgId: h.org, keyId: created.body.id });
    // The answer never carries the key itself back.
    assert.doesNotMatch(JSON.stringify(answer.body), /hk_/);

    await h.t.call('DELETE', `/v1/orgs/${h.org}/api-keys/${created.body.id}`);
    const revoked = await asToken(created.body.key);
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.error.code, 'WHK_ERR_UNAUTHORIZED');
  });

  test('a wrong, unknown or missing token is a 401 with the stable code', async () => {
    for (const token of ['not-the-admin-token', 'hk_unknown-key', undefined]) {
      const answer = await asToken(token);
      assert.equal(answer.status, 401, String(token));
      assert.equal(answer.body.error.code, 'WHK_ERR_UNAUTHORIZED');
    }
  });

  test('the OpenAPI document describes both answers', async () => {
    const response = await h.t.herald.api.inject({ method: 'GET', url: '/openapi.json' });
    const route = response.json().paths['/v1/me'].get;
    const schema = JSON.stringify(route.responses['200']);
    assert.match(schema, /"admin"/);
    assert.match(schema, /"org"/);
    assert.ok(route.responses['401']);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOrg, startHerald } from '../helpers/herald.ts';

test('each API key has its own request budget: then 429 with Retry-After', async (ctx) => {
  const t = await startHerald({
    listen: false,
    env: { HERALD_API_RATE_LIMIT: '5', HERALD_API_RATE_LIMIT_WINDOW_MS: '60000' },
  });
  ctx.after(() => t.close());
  const orgId = await createOrg(t);
  const keyA = (await t.call('POST', `/v1/orgs/${orgId}/api-keys`, {})).body.key;
  const keyB = (await t.call('POST', `/v1/orgs/${orgId}/api-keys`, {})).body.key;
  const get = (key: string) =>
    t.herald.api.inject({
      method: 'GET',
      url: `/v1/orgs/${orgId}/endpoints`,
      headers: { authorization: `Bearer ${key}` },
    });

  for (let i = 0; i < 5; i++) assert.equal((await get(keyA)).statusCode, 200, `request ${i + 1}`);
  const limited = await get(keyA);
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().error.code, 'WHK_ERR_RATE_LIMITED');
  const retryAfter = Number(limited.headers['retry-after']);
  assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After: ${limited.headers['retry-after']}`);

  // Another key of the same organization is not affected…
  assert.equal((await get(keyB)).statusCode, 200);
  // …and the operator's admin token is never limited.
  for (let i = 0; i < 10; i++) assert.equal((await t.call('GET', '/v1/orgs')).status, 200);
});

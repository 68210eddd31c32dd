import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHerald, type TestHerald } from '../helpers/herald.ts';

let t: TestHerald;
before(async () => {
  t = await startHerald({ listen: false });
});
after(() => t.close());

test('organizations: create, read, list with cursor, rename, delete', async () => {
  const created = await t.call('POST', '/v1/orgs', { name: 'Acme Learning' });
  assert.equal(created.status, 201);
  assert.match(created.body.id, /^org_[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.equal(created.body.name, 'Acme Learning');
  assert.ok(!Number.isNaN(Date.parse(created.body.createdAt)));

  const read = await t.call('GET', `/v1/orgs/${created.body.id}`);
  assert.deepEqual(read.body, created.body);

  for (const name of ['Beta', 'Gamma']) await t.call('POST', '/v1/orgs', { name });
  const first = await t.call('GET', '/v1/orgs?limit=2');
  assert.deepEqual(
    first.body.data.map((org: { name: string }) => org.name),
    ['Gamma', 'Beta'],
  );
  assert.ok(first.body.nextCursor);
  const second = await t.call('GET', `/v1/orgs?limit=2&cursor=${first.body.nextCursor}`);
  assert.deepEqual(
    second.body.data.map((org: { name: string }) => org.name),
    ['Acme Learning'],
  );
  assert.equal(second.body.nextCursor, null);

  const renamed = await t.call('PATCH', `/v1/orgs/${created.body.id}`, { name: 'Acme Academy' });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.name, 'Acme Academy');

  assert.equal((await t.call('DELETE', `/v1/orgs/${created.body.id}`)).status, 204);
  const gone = await t.call('GET', `/v1/orgs/${created.body.id}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.code, 'WHK_ERR_NOT_FOUND');
});

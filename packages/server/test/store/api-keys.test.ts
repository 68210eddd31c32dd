import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { forEachDialect } from './dialects.ts';
import { addOrg, T0 } from './fixtures.ts';

forEachDialect((db) => {
  let store: Store;
  before(async () => {
    store = await db().open();
  });

  test('API keys: create, find by hash, last use at most once a minute, revoke', async () => {
    const org = await addOrg(store, 'Keys', T0);
    const key = {
      id: 'key_01',
      orgId: org.id,
      name: 'ci',
      prefix: 'hk_abcdefgh',
      createdAt: T0,
      lastUsedAt: null,
    };
    assert.deepEqual(await store.createApiKey(key, 'aa'.repeat(32)), key);
    assert.equal(await store.useApiKey('bb'.repeat(32), T0), undefined);
    assert.equal((await store.useApiKey('aa'.repeat(32), T0 + 1000))?.lastUsedAt, T0 + 1000);
    assert.equal((await store.useApiKey('aa'.repeat(32), T0 + 2000))?.lastUsedAt, T0 + 1000);
    assert.equal((await store.useApiKey('aa'.repeat(32), T0 + 70_000))?.lastUsedAt, T0 + 70_000);
    const page = await store.listApiKeys(org.id, { limit: 10 });
    assert.deepEqual(
      page.data.map((k) => [k.id, k.prefix, k.lastUsedAt]),
      [['key_01', 'hk_abcdefgh', T0 + 70_000]],
    );
    assert.equal(await store.revokeApiKey('org_other', 'key_01', T0), false);
    assert.equal(await store.revokeApiKey(org.id, 'key_01', T0), true);
    assert.equal(await store.revokeApiKey(org.id, 'key_01', T0), false);
    assert.equal(await store.useApiKey('aa'.repeat(32), T0 + 80_000), undefined);
    assert.equal((await store.listApiKeys(org.id, { limit: 10 })).data.length, 0);
  });
});

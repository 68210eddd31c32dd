import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { newObjectId } from '../../src/certificates/object-id.ts';
import { newId } from '../../src/domain/ids.ts';
import type { Page, PageRequest, Store } from '../../src/store/store.ts';
import { forEachDialect } from './dialects.ts';
import { addOrg, T0 } from './fixtures.ts';

/** Every page of a list from the first, `limit` rows at a time, as ids. */
async function pages(
  list: (page: PageRequest) => Promise<Page<{ id: string }>>,
  limit: number,
): Promise<string[][]> {
  const all: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit, cursor });
    all.push(page.data.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

// Organizations, endpoints, events and deliveries page in resources.test.ts.
forEachDialect((db) => {
  let store: Store;
  before(async () => {
    store = await db().open();
  });

  test("badges page newest first, without deleted ones or another organization's", async () => {
    const [org, other] = [await addOrg(store, 'Badges'), await addOrg(store, 'Other')];
    const badge = (orgId: string, at: number) =>
      store.createBadge(
        {
          id: newObjectId(at),
          orgId,
          name: `Badge ${at - T0}`,
          description: '',
          ruleType: 'certification',
          validityDurationDays: null,
          lessonIds: [],
        },
        at,
      );
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await badge(org.id, T0 + i * 1000)).id);
    await badge(other.id, T0 + 10_000);
    assert.equal(await store.deleteBadge(org.id, ids[2], T0), true);
    assert.deepEqual(await pages((page) => store.listBadges(org.id, page), 2), [
      [ids[4], ids[3]],
      [ids[1], ids[0]],
    ]);
  });

  test("API keys page newest first, without revoked ones or another organization's", async () => {
    const [org, other] = [await addOrg(store, 'Keys'), await addOrg(store, 'Other')];
    const key = (orgId: string, at: number) =>
      store.createApiKey(
        { id: newId('key', at), orgId, name: 'k', prefix: 'hk_x', createdAt: at, lastUsedAt: null },
        `${orgId}-${at}`,
      );
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await key(org.id, T0 + i)).id);
    await key(other.id, T0 + 10);
    assert.equal(await store.revokeApiKey(org.id, ids[1], T0), true);
    assert.deepEqual(await pages((page) => store.listApiKeys(org.id, page), 3), [
      [ids[4], ids[3], ids[2]],
      [ids[0]],
    ]);
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createClient, RESP_TYPES } from 'redis';
import { redisDedupeStore } from '../src/index.ts';

describe('Redis dedupe store, replies it did not expect', () => {
  const prefix = `herald-test:${randomUUID()}:`;
  const client = createClient({ url: 'redis://127.0.0.1:6379' });
  before(() => client.connect());
  after(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  });

  test('a key holding something else: claim() says so rather than asking Redis again and again', async () => {
    await client.set(`${prefix}evt_1`, 'something-else');
    const store = redisDedupeStore(client, { prefix });
    await assert.rejects(store.claim('evt_1', 60_000), /not a dedupe state/);
  });

  test('a client mapping strings to Buffers: a duplicate is recognised', async () => {
    const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const store = redisDedupeStore(buffers, { prefix });
    assert.equal(await store.claim('evt_b', 60_000), 'claimed');
    // Before, the Buffer reply matched no state and claim() looped on Redis for good.
    const second = await Promise.race([
      store.claim('evt_b', 60_000),
      new Promise((resolve) => setTimeout(() => resolve('still looping'), 500)),
    ]);
    assert.equal(second, 'processing');
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'redis';
import { redisDedupeStore } from '../src/index.ts';

describe('Redis dedupe store: a key holding something else', () => {
  const prefix = `herald-test:${randomUUID()}:`;
  const client = createClient({ url: 'redis://127.0.0.1:6379' });
  before(() => client.connect());
  after(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  });

  test('claim() says so rather than asking Redis again and again', async () => {
    await client.set(`${prefix}evt_1`, 'something-else');
    const store = redisDedupeStore(client, { prefix });
    await assert.rejects(store.claim('evt_1', 60_000), /not a dedupe state/);
  });
});

describe('Redis dedupe store with a node-redis client mapping strings to Buffers', () => {
  const prefix = `herald-test:${randomUUID()}:`;
  const base = createClient({ url: 'redis://127.0.0.1:6379' });
  before(() => base.connect());
  after(async () => {
    const keys = await base.keys(`${prefix}*`);
    if (keys.length > 0) await base.del(keys);
    await base.close();
  });

  test('a duplicate is recognised (GET replies are Buffers)', async () => {
    const { RESP_TYPES } = await import('redis');
    const client = base.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const store = redisDedupeStore(client, { prefix });
    assert.equal(await store.claim('evt_b', 60_000), 'claimed');
    const second = await Promise.race([
      store.claim('evt_b', 60_000),
      new Promise((resolve) => setTimeout(() => resolve('still looping'), 500)),
    ]);
    assert.equal(second, 'processing');
  });
});

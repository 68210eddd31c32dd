import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'redis';
import {
  createDeduper,
  type DedupeStore,
  memoryDedupeStore,
  redisDedupeStore,
} from '../src/index.ts';

/** What every DedupeStore must do, run against each implementation. */
function storeContract(
  name: string,
  make: () => DedupeStore,
  expire: (key: string) => Promise<void>,
) {
  describe(`${name} dedupe store`, () => {
    test('the first claim of a key wins; later ones see it processing, then done', async () => {
      const store = make();
      const key = randomUUID();
      assert.equal(await store.claim(key, 60_000), 'claimed');
      assert.equal(await store.claim(key, 60_000), 'processing');
      await store.complete(key, 60_000);
      assert.equal(await store.claim(key, 60_000), 'done');
      assert.equal(await store.claim(randomUUID(), 60_000), 'claimed');
    });

    test('a released key can be claimed again', async () => {
      const store = make();
      const key = randomUUID();
      await store.claim(key, 60_000);
      await store.release(key);
      assert.equal(await store.claim(key, 60_000), 'claimed');
    });

    test('an expired key can be claimed again', async () => {
      const store = make();
      const key = randomUUID();
      await store.claim(key, 60_000);
      await store.complete(key, 60_000);
      await expire(key);
      assert.equal(await store.claim(key, 60_000), 'claimed');
    });

    test('concurrent claims of one key: exactly one wins', async () => {
      const stores = [make(), make(), make()];
      const key = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % 3].claim(key, 60_000)),
      );
      assert.equal(results.filter((state) => state === 'claimed').length, 1);
      assert.equal(results.filter((state) => state === 'processing').length, 29);
    });
  });
}

describe('memory store', () => {
  let now = Date.UTC(2026, 0, 1);
  const shared = memoryDedupeStore({ now: () => now });
  storeContract(
    'memory',
    () => shared,
    async () => {
      now += 60_001;
    },
  );
});

describe('Redis store (real Redis on 127.0.0.1:6379)', () => {
  const prefix = `herald-test:${randomUUID()}:`;
  const client = createClient({ url: 'redis://127.0.0.1:6379' });
  before(async () => {
    await client.connect();
  });
  after(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  });

  storeContract(
    'redis',
    () => redisDedupeStore(client, { prefix }),
    // Let Redis expire it rather than waiting: the key's TTL is Redis's to enforce.
    async (key) => {
      await client.pExpire(prefix + key, 1);
      for (let i = 0; i < 100 && (await client.exists(prefix + key)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  );

  test('keys carry the prefix, the lease while processing and the TTL once done', async () => {
    const store = redisDedupeStore(client, { prefix });
    await store.claim('evt_ttl', 30_000);
    assert.equal(await client.get(`${prefix}evt_ttl`), 'processing');
    const lease = await client.pTTL(`${prefix}evt_ttl`);
    assert.ok(lease > 0 && lease <= 30_000, `lease ${lease}`);
    await store.complete('evt_ttl', 90_000);
    assert.equal(await client.get(`${prefix}evt_ttl`), 'done');
    const ttl = await client.pTTL(`${prefix}evt_ttl`);
    assert.ok(ttl > 30_000 && ttl <= 90_000, `ttl ${ttl}`);
  });

  test('two receivers sharing Redis process a webhook once', async () => {
    const other = client.duplicate();
    await other.connect();
    try {
      const a = createDeduper({ store: redisDedupeStore(client, { prefix }) });
      const b = createDeduper({ store: redisDedupeStore(other, { prefix }) });
      let processed = 0;
      const work = async () => ++processed;
      const outcomes = await Promise.all([a.once('evt_shared', work), b.once('evt_shared', work)]);
      assert.equal(processed, 1);
      assert.deepEqual(outcomes.map((o) => o.duplicate).sort(), [false, true]);
      assert.deepEqual(await a.once('evt_shared', work), { duplicate: true, processing: false });
    } finally {
      await other.close();
    }
  });
});

describe('createDeduper', () => {
  test('once runs the work for a new id and reports duplicates after', async () => {
    const deduper = createDeduper({ ttl: 1000 });
    assert.deepEqual(await deduper.once('evt_1', () => 'done'), {
      duplicate: false,
      result: 'done',
    });
    assert.deepEqual(await deduper.once('evt_1', () => 'again'), {
      duplicate: true,
      processing: false,
    });
  });

  test('a delivery arriving while the first is still handled is reported as processing', async () => {
    const deduper = createDeduper();
    let finish!: () => void;
    const first = deduper.once(
      'evt_slow',
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(await deduper.once('evt_slow', () => 'x'), {
      duplicate: true,
      processing: true,
    });
    finish();
    assert.equal((await first).duplicate, false);
    assert.deepEqual(await deduper.once('evt_slow', () => 'x'), {
      duplicate: true,
      processing: false,
    });
  });

  test('when the work fails the id is released so the retry runs it', async () => {
    const deduper = createDeduper();
    await assert.rejects(
      deduper.once('evt_2', () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await deduper.once('evt_2', () => 'ok'), { duplicate: false, result: 'ok' });
  });

  test('the lease and the ttl reach the store and must be positive', async () => {
    const calls: string[] = [];
    const deduper = createDeduper({
      ttl: 1234,
      lease: 56,
      store: {
        async claim(_key, lease) {
          calls.push(`claim ${lease}`);
          return 'claimed';
        },
        async complete(_key, ttl) {
          calls.push(`complete ${ttl}`);
        },
        async release() {},
      },
    });
    await deduper.once('evt_3', () => 1);
    assert.deepEqual(calls, ['claim 56', 'complete 1234']);
    assert.throws(() => createDeduper({ ttl: 0 }), RangeError);
    assert.throws(() => createDeduper({ lease: -1 }), RangeError);
  });
});

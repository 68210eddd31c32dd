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
    test('the first claim of a key wins, later ones do not', async () => {
      const store = make();
      const key = randomUUID();
      assert.equal(await store.claim(key, 60_000), true);
      assert.equal(await store.claim(key, 60_000), false);
      assert.equal(await store.claim(randomUUID(), 60_000), true);
    });

    test('a released key can be claimed again', async () => {
      const store = make();
      const key = randomUUID();
      await store.claim(key, 60_000);
      await store.release(key);
      assert.equal(await store.claim(key, 60_000), true);
    });

    test('an expired key can be claimed again', async () => {
      const store = make();
      const key = randomUUID();
      await store.claim(key, 60_000);
      await expire(key);
      assert.equal(await store.claim(key, 60_000), true);
    });

    test('concurrent claims of one key: exactly one wins', async () => {
      const stores = [make(), make(), make()];
      const key = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % 3].claim(key, 60_000)),
      );
      assert.equal(results.filter(Boolean).length, 1);
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

  test('keys carry the prefix and the TTL', async () => {
    const store = redisDedupeStore(client, { prefix });
    await store.claim('evt_ttl', 90_000);
    const ttl = await client.pTTL(`${prefix}evt_ttl`);
    assert.ok(ttl > 0 && ttl <= 90_000, `ttl ${ttl}`);
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
    assert.deepEqual(await deduper.once('evt_1', () => 'again'), { duplicate: true });
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

  test('the ttl is passed to the store and must be positive', async () => {
    const seen: number[] = [];
    const deduper = createDeduper({
      ttl: 1234,
      store: {
        async claim(_key, ttl) {
          seen.push(ttl);
          return true;
        },
        async release() {},
      },
    });
    await deduper.claim('evt_3');
    assert.deepEqual(seen, [1234]);
    assert.throws(() => createDeduper({ ttl: 0 }), RangeError);
  });
});

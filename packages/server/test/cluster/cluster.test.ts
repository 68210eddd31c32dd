import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { newId } from '../../src/domain/ids.ts';
import { createStore } from '../../src/store/open-store.ts';
import { eventually } from '../helpers/herald.ts';
import { createTestSchema, type TestSchema } from '../helpers/postgres.ts';
import { type HeraldProcess, spawnHerald } from '../helpers/process.ts';

const NODES = 3;
const ENDPOINTS = 10;
const EVENTS = 5_000;
/** Endpoint i allows 2 + (i % 4) requests at once: 2 to 5. */
const maxConcurrency = (i: number) => 2 + (i % 4);

interface Receipt {
  endpoint: number;
  eventId: string;
  attempt: string;
  at: number;
}

/**
 * A real receiver on 127.0.0.1 for /ep/<i>: it tracks, per endpoint, how many
 * requests it is handling at once, and records every request it received.
 */
async function startCountingReceiver(delayMs: number) {
  const current = new Array<number>(ENDPOINTS).fill(0);
  const highest = new Array<number>(ENDPOINTS).fill(0);
  const receipts: Receipt[] = [];
  const server = createServer((req, res) => {
    const endpoint = Number(/^\/ep\/(\d+)/.exec(req.url ?? '')?.[1]);
    current[endpoint]++;
    highest[endpoint] = Math.max(highest[endpoint], current[endpoint]);
    receipts.push({
      endpoint,
      eventId: String(req.headers['webhook-id']),
      attempt: String(req.headers['webhook-attempt']),
      at: Date.now(),
    });
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        current[endpoint]--;
        if (!res.destroyed) res.end('ok');
      }, delayMs),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    receipts,
    highest,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `work` over `items` with at most `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function attemptsMadeBy(node: HeraldProcess): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return [...text.matchAll(/^herald_delivery_attempts_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

let schema: TestSchema;
const nodes: HeraldProcess[] = [];

before(async () => {
  schema = await createTestSchema('cluster');
});
after(async () => {
  for (const node of nodes) node.child.kill('SIGKILL');
  await Promise.all(nodes.map((node) => node.exited));
  await schema.drop();
});

test(`${NODES} herald serve processes on one PostgreSQL deliver ${EVENTS} events once each; kill -9 of one is absorbed`, {
  timeout: 120_000,
}, async () => {
  const t0 = Date.now();
  const mark = (what: string) =>
    process.env.HERALD_TEST_TIMING &&
    console.error(what, Date.now() - t0, receiver.receipts.length);
  const receiver = await startCountingReceiver(5);
  // All nodes start (and migrate) at once: the advisory lock lets one migrate.
  nodes.push(
    ...(await Promise.all(
      Array.from({ length: NODES }, () =>
        spawnHerald({
          HERALD_DATABASE_URL: schema.url,
          HERALD_DATABASE_POOL_SIZE: '4',
          // A short lease so the killed node's claims come back within seconds.
          HERALD_LEASE_MARGIN_MS: '1000',
          HERALD_LOG_LEVEL: 'info',
        }),
      ),
    )),
  );
  const [a, victim, c] = nodes;
  mark('started');
  try {
    // type.0 … type.N are not catalog types: the org accepts free-form types.
    const { body: org } = await a.api('POST', '/v1/orgs', {
      name: 'Cluster Co',
      settings: { allowFreeFormTypes: true },
    });
    for (let i = 0; i < ENDPOINTS; i++) {
      const { status } = await a.api('POST', `/v1/orgs/${org.id}/endpoints`, {
        name: `ep ${i}`,
        url: `${receiver.url}/ep/${i}`,
        eventTypes: [`type.${i}`],
        maxConcurrency: maxConcurrency(i),
        // Generous for a loaded test machine: a timeout would be a retry, not a duplicate.
        timeoutMs: 5000,
        retryPolicy: { schedule: [200, 200, 200] },
      });
      assert.equal(status, 201);
    }

    // 1 in 10 events come through the HTTP API of the nodes that stay up (so no
    // ingest is lost with the victim); the rest straight through a Store in this
    // process, which is another PostgreSQL client like any node: the test is
    // about the delivery cluster, and 5,000 HTTP ingests would only slow it down.
    // Either way each ingest NOTIFYs every node.
    const producer = createStore(schema.url, { poolSize: 8 });
    const events: string[] = [];
    let killedAt = Number.POSITIVE_INFINITY;
    const killer = (async () => {
      await eventually(() => receiver.receipts.length >= EVENTS / 4, 40_000);
      victim.child.kill('SIGKILL');
      killedAt = Date.now();
      await victim.exited;
    })();
    const indexes = Array.from({ length: EVENTS }, (_, i) => i);
    try {
      await inParallel(indexes, 8, async (i) => {
        const type = `type.${i % ENDPOINTS}`;
        if (i % 10 === 0) {
          const node = i % 20 === 0 ? a : c;
          const { status, body } = await node.api('POST', `/v1/orgs/${org.id}/events`, {
            type,
            payload: { i },
          });
          assert.equal(status, 202);
          events.push(body.id);
          return;
        }
        const now = Date.now();
        const { event } = await producer.ingest({
          event: {
            id: newId('evt', now),
            orgId: org.id,
            type,
            payloadJson: JSON.stringify({ i }),
            idempotencyKey: null,
            createdAt: now,
          },
          idempotencyWindowMs: 0,
        });
        events.push(event.id);
      });
    } finally {
      await producer.close();
    }
    mark('ingested');
    await killer;
    mark('killed');
    if (process.env.HERALD_TEST_TIMING)
      console.error(
        'duplicates so far',
        receiver.receipts.length - new Set(receiver.receipts.map((r) => r.eventId)).size,
      );

    // Every event reaches its endpoint; the survivors finish the victim's claims
    // once their leases expire.
    const seen = await eventually(() => {
      const ids = new Set(receiver.receipts.map((r) => r.eventId));
      return ids.size === EVENTS && ids;
    }, 45_000);
    assert.deepEqual([...seen].sort(), [...events].sort());
    mark('all seen');
    await eventually(async () => {
      const { body } = await a.api('GET', `/v1/orgs/${org.id}/deliveries?status=delivered&limit=1`);
      const depth = await queueDepth(a);
      return body.data.length === 1 && depth === 0;
    }, 20_000);

    mark('queue empty');
    // maxConcurrency held across the cluster, at the receiver.
    for (let i = 0; i < ENDPOINTS; i++)
      assert.ok(
        receiver.highest[i] <= maxConcurrency(i),
        `endpoint ${i}: ${receiver.highest[i]} at once, max ${maxConcurrency(i)}`,
      );

    // Nothing was sent twice, except what the victim had claimed when it died:
    // those come back once their lease expires, so the second send of any
    // duplicate comes after the kill, and there are at most as many as the
    // endpoints' slots (claims count against maxConcurrency).
    const byEvent = new Map<string, Receipt[]>();
    for (const receipt of receiver.receipts)
      byEvent.set(receipt.eventId, [...(byEvent.get(receipt.eventId) ?? []), receipt]);
    const twice = [...byEvent.values()].filter((receipts) => receipts.length > 1);
    for (const receipts of twice) {
      const what = JSON.stringify(receipts);
      assert.equal(receipts.length, 2, `received more than twice: ${what}`);
      assert.ok(receipts[1].at >= killedAt, `sent twice before any node died: ${what}`);
      // The victim's attempt was never recorded, so the re-send carries the same number.
      assert.deepEqual(
        receipts.map((r) => r.attempt),
        ['1', '1'],
      );
    }
    const capacity = Array.from({ length: ENDPOINTS }, (_, i) => maxConcurrency(i)).reduce(
      (x, y) => x + y,
    );
    assert.ok(
      twice.length <= capacity,
      `${twice.length} duplicates, at most ${capacity} in flight`,
    );

    // Herald's record agrees: every delivery delivered, with exactly one recorded attempt.
    for (const status of ['pending', 'sending', 'failed', 'cancelled']) {
      const { body } = await c.api('GET', `/v1/orgs/${org.id}/deliveries?status=${status}&limit=1`);
      assert.equal(body.data.length, 0, `${status}: ${JSON.stringify(body.data[0])}`);
    }
    const { body: endpoints } = await c.api('GET', `/v1/orgs/${org.id}/endpoints?limit=100`);
    let succeeded = 0;
    for (const endpoint of endpoints.data) {
      const { body: stats } = await c.api(
        'GET',
        `/v1/orgs/${org.id}/endpoints/${endpoint.id}/stats`,
      );
      assert.equal(stats.attemptsFailed, 0);
      succeeded += stats.attemptsSucceeded;
    }
    assert.equal(succeeded, EVENTS);
    // Both survivors sent a share: the work is spread, not funnelled through one node.
    assert.ok((await attemptsMadeBy(a)) > 0);
    assert.ok((await attemptsMadeBy(c)) > 0);
  } finally {
    await receiver.close();
    if (process.env.HERALD_TEST_TIMING)
      for (const node of nodes)
        console.error(
          node
            .output()
            .split('\n')
            .filter((line) => /"level":(40|50|60)/.test(line))
            .slice(0, 5)
            .join('\n'),
        );
  }
});

async function queueDepth(node: HeraldProcess): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(/^herald_queue_depth (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { eventually, tempDir } from '../helpers/herald.ts';
import { type HeraldProcess, spawnHerald } from '../helpers/process.ts';
import { startReceiver } from '../helpers/receiver.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function database() {
  const dir = tempDir('herald-crash-');
  dirs.push(dir);
  return { HERALD_DATABASE_URL: `sqlite:${join(dir, 'herald.db')}` };
}

async function setUp(
  herald: HeraldProcess,
  url: string,
  endpoints: number,
  maxConcurrency: number,
) {
  const { body: org } = await herald.api('POST', '/v1/orgs', {
    name: 'Crash Co',
    settings: { allowFreeFormTypes: true },
  });
  for (let i = 0; i < endpoints; i++) {
    const { status } = await herald.api('POST', `/v1/orgs/${org.id}/endpoints`, {
      name: `ep ${i}`,
      url: `${url}/ep/${i}`,
      eventTypes: [`type.${i}`],
      maxConcurrency,
      // Held requests must not use up their attempts before the kill, however slow
      // the machine: the test is about what a restart re-sends, not about timeouts.
      timeoutMs: 30_000,
      retryPolicy: { schedule: Array(10).fill(100) },
    });
    assert.equal(status, 201);
  }
  return org.id as string;
}

test('kill -9 with 500 deliveries on the wire and 500 more queued: after a restart every event is delivered', async () => {
  let holding = true;
  // While `holding`, the receiver takes requests but never answers: they are in flight when the process dies,
  // so not one delivery completes before the kill.
  const receiver = await startReceiver(() =>
    holding ? { status: 200, delayMs: 60_000 } : { status: 200 },
  );
  // The held requests time out on a slow machine; the circuit breaker would then
  // (rightly) hold each endpoint's queue, which is not what this test is about.
  const env = { ...database(), HERALD_BREAKER_THRESHOLD: '0' };
  const first = await spawnHerald(env);
  const org = await setUp(first, receiver.url, 10, 100);

  const events: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const { status, body } = await first.api('POST', `/v1/orgs/${org}/events`, {
      type: `type.${i % 10}`,
      payload: { i },
    });
    assert.equal(status, 202);
    events.push(body.id);
  }
  await eventually(() => receiver.requests.length >= 500, 30_000);
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, 'SIGKILL');
  holding = false;
  const seenBeforeKill = receiver.requests.length;

  const second = await spawnHerald(env);
  try {
    const delivered = await eventually(async () => {
      const ids = new Set(
        receiver.requests.slice(seenBeforeKill).map((r) => r.headers['webhook-id']),
      );
      return ids.size === 1000 && ids;
    }, 60_000);
    assert.deepEqual([...delivered].sort(), [...events].sort());
    // and Herald's own record agrees: nothing is left pending, sending or failed
    for (const status of ['pending', 'sending', 'failed']) {
      const { body } = await second.api('GET', `/v1/orgs/${org}/deliveries?status=${status}`);
      assert.equal(body.data.length, 0, `${status}: ${JSON.stringify(body.data[0])}`);
    }
  } finally {
    second.child.kill('SIGKILL');
    await second.exited;
    await receiver.close();
  }
});

test('SIGTERM lets in-flight requests finish and records them before exiting', async () => {
  const receiver = await startReceiver(() => ({ status: 200, delayMs: 400 }));
  const env = database();
  const first = await spawnHerald(env);
  const org = await setUp(first, receiver.url, 1, 5);
  for (let i = 0; i < 5; i++)
    await first.api('POST', `/v1/orgs/${org}/events`, { type: 'type.0', payload: { i } });
  await receiver.waitFor(5);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.match(first.output(), /stopping/);

  const second = await spawnHerald(env);
  try {
    const { body } = await second.api('GET', `/v1/orgs/${org}/deliveries?status=delivered`);
    assert.equal(body.data.length, 5);
    assert.ok(body.data.every((delivery: { attemptCount: number }) => delivery.attemptCount === 1));
    // nothing was sent twice: the restart found no unrecorded work
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(receiver.requests.length, 5);
  } finally {
    second.child.kill('SIGKILL');
    await second.exited;
    await receiver.close();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { advanceUntil, publish } from '../helpers/drive.ts';
import { createEndpoint, createOrg, startHerald } from '../helpers/herald.ts';
import { startReceiver } from '../helpers/receiver.ts';

test('ordering "fifo" sends each delivery only after every earlier one is done, across retries', async () => {
  const clock = new ManualClock();
  const t = await startHerald({
    clock,
    env: { HERALD_BREAKER_THRESHOLD: '0' },
    worker: { pollIntervalMs: 20 },
  });
  // The receiver fails the first three requests and every attempt of the delivery marked "poison",
  // which exhausts its retries and ends failed: FIFO then moves on.
  const receiver = await startReceiver((request, index) => ({
    status: index < 3 || JSON.parse(request.body).poison ? 500 : 200,
    delayMs: 5,
  }));
  try {
    const orgId = await createOrg(t);
    await createEndpoint(t, orgId, {
      url: `${receiver.url}/ordered`,
      ordering: 'fifo',
      maxConcurrency: 10,
      retryPolicy: { schedule: [1000, 1000, 1000, 1000] },
    });
    const events: string[] = [];
    for (let i = 0; i < 6; i++) {
      events.push(await publish(t, orgId, 'lesson.completed', { i, poison: i === 3 }));
    }
    // 3 failures + 1 success for the first, 5 attempts of the poison one, 1 for each other.
    const expected = 4 + 1 + 1 + 5 + 1 + 1;
    await advanceUntil(t, clock, 500, () => receiver.requests.length >= expected);
    assert.equal(receiver.requests.length, expected);
    assert.equal(receiver.maxConcurrent, 1, 'one request at a time');
    const order = receiver.requests.map((r) => events.indexOf(String(r.headers['webhook-id'])));
    assert.deepEqual(order, [0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 4, 5]);
  } finally {
    await t.close();
    await receiver.close();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { createEndpoint, eventually, useHerald } from '../helpers/herald.ts';
import { startReceiver } from '../helpers/receiver.ts';

// Longer than any test runs: only a wake-up can start a delivery here.
const ctx = useHerald({ worker: { pollIntervalMs: 600_000 } });

test('an event ingested while the worker reads the next due time is delivered without waiting for the poll', async () => {
  const receiver = await startReceiver(() => ({ status: 200 }));
  await createEndpoint(ctx.t, ctx.org, { url: receiver.url, eventTypes: ['wake.race'] });
  const { store, worker } = ctx.t.herald;
  const nextDueAt = store.nextDueAt.bind(store);
  let raced = false;
  // The first look at the queue answers "nothing due", and the event arrives
  // (its ingest waking the worker) before the worker goes to sleep on that answer.
  store.nextDueAt = async () => {
    const due = await nextDueAt();
    if (!raced) {
      raced = true;
      const { status } = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
        type: 'wake.race',
        payload: {},
      });
      assert.equal(status, 202);
    }
    return due;
  };
  worker.wake();
  await eventually(() => raced);
  await receiver.waitFor(1, 10_000);
});

test('stopping while the worker reads the next due time does not wait for the poll', {
  timeout: 20_000,
}, async () => {
  const { store, worker } = ctx.t.herald;
  const nextDueAt = store.nextDueAt.bind(store);
  const { promise: reading, resolve: entered } = Promise.withResolvers<void>();
  const { promise: held, resolve: release } = Promise.withResolvers<void>();
  store.nextDueAt = async () => {
    entered();
    await held;
    return nextDueAt();
  };
  worker.wake();
  await reading;
  // The stop's wake-up comes while the next due time is being read; the
  // poll interval (600 s) would outlast the test's timeout.
  const stopped = worker.stop(1_000);
  release();
  await stopped;
  assert.equal(worker.inFlight, 0);
});

test('a start while the worker stops runs one loop, which delivers everything once', {
  timeout: 20_000,
}, async () => {
  const receiver = await startReceiver(() => ({ status: 200 }));
  await createEndpoint(ctx.t, ctx.org, { url: receiver.url, eventTypes: ['restart.race'] });
  const { store, worker } = ctx.t.herald;
  // The store class's own methods: the encryption layer in front of it calls
  // them on the same object, so wrappers bound to the front one would call themselves.
  const { claimDue, recordAndClaim } = Object.getPrototypeOf(store) as Store;
  let cycles = 0;
  let mostAtOnce = 0;
  const { promise: claiming, resolve: entered } = Promise.withResolvers<void>();
  const { promise: held, resolve: release } = Promise.withResolvers<void>();
  let first = true;
  const counted = async <T>(cycle: () => Promise<T>): Promise<T> => {
    cycles++;
    mostAtOnce = Math.max(mostAtOnce, cycles);
    try {
      if (first) {
        first = false;
        entered();
        await held;
      }
      return await cycle();
    } finally {
      cycles--;
    }
  };
  store.claimDue = function (this: Store, ...args) {
    return counted(() => claimDue.apply(this, args));
  };
  store.recordAndClaim = function (this: Store, ...args) {
    return counted(() => recordAndClaim.apply(this, args));
  };
  // The test before this one stopped the worker.
  worker.start();
  worker.wake();
  await claiming;
  // The old loop is inside its claim when it is told to stop, then to start again.
  const stopped = worker.stop(1_000);
  worker.start();
  const publish = (type: string) =>
    ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, { type, payload: {} });
  for (let i = 0; i < 5; i++) assert.equal((await publish('restart.race')).status, 202);
  release();
  await stopped;
  assert.equal(mostAtOnce, 1, 'two loops claimed at once');
  await receiver.waitFor(5, 10_000);
  for (let i = 0; i < 5; i++) assert.equal((await publish('restart.race')).status, 202);
  await receiver.waitFor(10, 10_000);
  assert.equal(mostAtOnce, 1, 'two loops claimed at once');
  const ids = receiver.requests.map((request) => request.headers['webhook-id']);
  assert.equal(new Set(ids).size, 10);
});

test('a stop superseded by a start returns at once; the later stop waits for what is in flight', {
  timeout: 20_000,
}, async () => {
  const receiver = await startReceiver(() => ({ status: 200, delayMs: 300 }));
  await createEndpoint(ctx.t, ctx.org, { url: receiver.url, eventTypes: ['restart.twice'] });
  const { worker } = ctx.t.herald;
  worker.start();
  const { status } = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
    type: 'restart.twice',
    payload: {},
  });
  assert.equal(status, 202);
  await receiver.waitFor(1);
  let firstDone = false;
  // Graces far longer than the test: only the in-flight attempt ending (or the start) ends a stop.
  const first = worker.stop(600_000).then(() => {
    firstDone = true;
  });
  worker.start();
  const second = worker.stop(600_000);
  await second;
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(firstDone, 'the first stop still waits');
  assert.equal(worker.inFlight, 0);
  await first;
  worker.start();
});

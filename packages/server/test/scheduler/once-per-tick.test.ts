import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { ManualClock } from '../../src/domain/clock.ts';
import { retentionJob } from '../../src/scheduler/jobs/retention.ts';
import { oncePerTick } from '../../src/scheduler/once-per-tick.ts';
import { JobRunner } from '../../src/scheduler/runner.ts';
import { forEachDialect } from '../store/dialects.ts';
import { addEndpoint, addOrg, DAY, ingest, T0 } from '../store/fixtures.ts';

const INTERVAL = 60_000;
const logger = pino({ level: 'silent' });

forEachDialect((db) => {
  test('three runners on one database run each job once per tick', async () => {
    const database = await db().fresh();
    const clock = new ManualClock(T0);
    const runs: number[] = [];
    const runners = [];
    for (let node = 0; node < 3; node++) {
      const store = await database.node();
      runners.push(
        new JobRunner({
          clock,
          logger,
          intervalMs: 0,
          guard: oncePerTick(store, INTERVAL),
        }).register({ name: 'count', run: async (now) => runs.push(now) }),
      );
    }
    await Promise.all(runners.map((runner) => runner.tick()));
    assert.equal(runs.length, 1);
    // Later in the same slot: nobody runs it again.
    clock.advance(INTERVAL / 2);
    await Promise.all(runners.map((runner) => runner.tick()));
    assert.equal(runs.length, 1);
    // The next slot: once more, on one node.
    clock.advance(INTERVAL);
    await Promise.all(runners.map((runner) => runner.tick()));
    assert.equal(runs.length, 2);
  });

  test('the retention job purges old history in small batches and keeps recent events', async () => {
    const database = await db().fresh();
    const store = await database.open();
    const orgId = (await addOrg(store)).id;
    const endpoint = await addEndpoint(store, orgId);
    for (let i = 0; i < 7; i++) await ingest(store, orgId, { createdAt: T0 + i });
    // Settle them all: an endpoint disabled cancels its pending deliveries.
    await store.updateEndpoint(orgId, endpoint.id, { enabled: false }, T0 + 10);
    const fresh = await ingest(store, orgId, { createdAt: T0 + 20 * DAY });

    const clock = new ManualClock(T0 + 31 * DAY);
    const job = retentionJob({ store, retentionDays: 30, batchSize: 2, maxBatchesPerTick: 3 });
    const runner = new JobRunner({
      clock,
      logger,
      intervalMs: 0,
      guard: oncePerTick(store, INTERVAL),
    });
    runner.register(job);
    const events = async () => (await store.listEvents(orgId, {}, { limit: 10 })).data.length;
    // 3 batches of 2 per tick: a backlog of 7 takes two ticks.
    await runner.tick();
    assert.equal(await events(), 2);
    await runner.tick();
    assert.equal(await events(), 2, 'the same tick does not run twice');
    clock.advance(INTERVAL);
    await runner.tick();
    assert.equal(await events(), 1);
    assert.ok(await store.getEvent(orgId, fresh.event.id));
    assert.equal(await job.run(clock.now()), 0);

    const off = retentionJob({ store, retentionDays: 0 });
    assert.equal(await off.run(T0 + 1000 * DAY), 0, '0 days keeps everything');
  });
});

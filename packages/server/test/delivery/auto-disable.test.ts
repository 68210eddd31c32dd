import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { advanceUntil, publish } from '../helpers/drive.ts';
import { createEndpoint, createOrg, eventually, startHerald } from '../helpers/herald.ts';
import { startReceiver } from '../helpers/receiver.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A Herald on a manual clock, a receiver, an org, and a sibling endpoint listening for endpoint.disabled. */
async function setup(env: Record<string, string>) {
  const clock = new ManualClock();
  const t = await startHerald({ clock, env, worker: { pollIntervalMs: 20 } });
  const receiver = await startReceiver((request) => ({
    status: request.path === '/ops' ? 200 : 500,
  }));
  const orgId = await createOrg(t);
  const ops = await createEndpoint(t, orgId, {
    name: 'Ops',
    url: `${receiver.url}/ops`,
    eventTypes: ['endpoint.disabled'],
  });
  const close = async () => {
    await t.close();
    await receiver.close();
  };
  const at = (path: string) => receiver.requests.filter((r) => r.path === path);
  return { clock, t, receiver, orgId, ops, close, at };
}

async function waitForDisabledEvent(ctx: Awaited<ReturnType<typeof setup>>) {
  const [request] = await eventually(() => ctx.at('/ops').length > 0 && ctx.at('/ops'));
  assert.equal(request.headers['webhook-event-type'], 'endpoint.disabled');
  return JSON.parse(request.body);
}

describe('endpoint health: disabling', () => {
  test('410 Gone disables the endpoint at once, cancels its queue and tells the org', async () => {
    const ctx = await setup({});
    try {
      const { t, orgId, clock, receiver, at } = ctx;
      receiver.behave((request) => ({ status: request.path === '/ops' ? 200 : 410 }));
      const gone = await createEndpoint(t, orgId, {
        name: 'Old CRM',
        url: `${receiver.url}/gone`,
        eventTypes: ['lesson.completed'],
        maxConcurrency: 1,
      });
      // Queue all three before the first goes out, so two are left to cancel.
      await t.herald.worker.stop(0);
      for (let i = 0; i < 3; i++) await publish(t, orgId, 'lesson.completed', { i });
      t.herald.worker.start();

      const payload = await waitForDisabledEvent(ctx);
      assert.equal(at('/gone').length, 1, 'one 410 is enough');
      assert.equal(payload.endpointId, gone.id);
      assert.equal(payload.name, 'Old CRM');
      assert.equal(payload.url, `${receiver.url}/gone`);
      assert.equal(payload.reason, 'gone');
      assert.equal(payload.disabledAt, new Date(clock.now()).toISOString());
      assert.equal(payload.counts.cancelledDeliveries, 2);

      const { body: endpoint } = await t.call('GET', `/v1/orgs/${orgId}/endpoints/${gone.id}`);
      assert.equal(endpoint.enabled, false);
      assert.equal(endpoint.disabledReason, 'gone');
      assert.equal(endpoint.disabledAt, new Date(clock.now()).toISOString());

      const { body: deliveries } = await t.call(
        'GET',
        `/v1/orgs/${orgId}/deliveries?endpoint=${gone.id}`,
      );
      assert.deepEqual(deliveries.data.map((d: any) => d.status).sort(), [
        'cancelled',
        'cancelled',
        'failed',
      ]);
      // Later events are not even queued for it.
      const { body: later } = await t.call('POST', `/v1/orgs/${orgId}/events`, {
        type: 'lesson.completed',
        payload: {},
      });
      assert.equal(later.deliveries, 0);

      // Re-enabling is the operator's call and clears the reason.
      const { body: again } = await t.call('PATCH', `/v1/orgs/${orgId}/endpoints/${gone.id}`, {
        enabled: true,
      });
      assert.equal(again.enabled, true);
      assert.equal(again.disabledReason, null);
      assert.equal(again.disabledAt, null);
    } finally {
      await ctx.close();
    }
  });

  test('N failed deliveries in a row disable the endpoint; a success resets the count', async () => {
    const ctx = await setup({
      HERALD_AUTO_DISABLE_AFTER_FAILURES: '3',
      HERALD_BREAKER_THRESHOLD: '0',
    });
    try {
      const { t, orgId, receiver, at } = ctx;
      const flaky = await createEndpoint(t, orgId, {
        url: `${receiver.url}/flaky`,
        eventTypes: ['lesson.completed'],
        retryPolicy: { schedule: [] },
        maxConcurrency: 1,
      });
      const send = async (n: number) => {
        const before = at('/flaky').length;
        for (let i = 0; i < n; i++) await publish(t, orgId, 'lesson.completed', { i });
        await eventually(() => at('/flaky').length === before + n);
      };
      await send(2);
      receiver.behave(() => ({ status: 200 }));
      await send(1);
      receiver.behave((request) => ({ status: request.path === '/ops' ? 200 : 500 }));
      await send(2);
      let endpoint = await eventually(async () => {
        const { body } = await t.call('GET', `/v1/orgs/${orgId}/endpoints/${flaky.id}`);
        return body.health.consecutiveFailedDeliveries === 2 && body;
      });
      assert.equal(endpoint.enabled, true, 'two failures since the success are not enough');
      assert.equal(at('/ops').length, 0);

      await send(1);
      const payload = await waitForDisabledEvent(ctx);
      assert.equal(payload.reason, 'too_many_failures');
      assert.equal(payload.endpointId, flaky.id);
      assert.equal(payload.counts.consecutiveFailedDeliveries, 3);
      ({ body: endpoint } = await t.call('GET', `/v1/orgs/${orgId}/endpoints/${flaky.id}`));
      assert.equal(endpoint.enabled, false);
      assert.equal(endpoint.disabledReason, 'too_many_failures');
    } finally {
      await ctx.close();
    }
  });

  test('failing continuously for the configured time (default 5 days) disables the endpoint', async () => {
    const ctx = await setup({ HERALD_BREAKER_THRESHOLD: '0' });
    try {
      const { t, orgId, receiver, clock, at } = ctx;
      const down = await createEndpoint(t, orgId, {
        url: `${receiver.url}/down`,
        eventTypes: ['lesson.completed'],
        retryPolicy: { schedule: Array(10).fill(DAY) },
      });
      const started = clock.now();
      await publish(t, orgId, 'lesson.completed', {});
      // The retry is scheduled from the clock at recording time: only move it once recorded.
      const recorded = (attempts: number) =>
        eventually(async () => {
          const { body } = await t.call('GET', `/v1/orgs/${orgId}/deliveries?endpoint=${down.id}`);
          return body.data[0]?.attemptCount === attempts;
        });
      await recorded(1);
      // Daily retries: day 1..4 fail without disabling, day 5 crosses the line.
      for (let day = 1; day <= 4; day++) {
        await advanceUntil(t, clock, DAY, () => at('/down').length === day + 1, { maxSteps: 1 });
        await recorded(day + 1);
      }
      const { body: stillOn } = await t.call('GET', `/v1/orgs/${orgId}/endpoints/${down.id}`);
      assert.equal(stillOn.enabled, true);
      assert.equal(stillOn.health.failingSince, new Date(started).toISOString());

      await advanceUntil(t, clock, DAY, () => at('/down').length === 6, { maxSteps: 1 });
      const payload = await waitForDisabledEvent(ctx);
      assert.equal(payload.reason, 'failing_too_long');
      assert.equal(payload.failingSince, new Date(started).toISOString());
      const { body: off } = await t.call('GET', `/v1/orgs/${orgId}/endpoints/${down.id}`);
      assert.equal(off.enabled, false);
      assert.equal(off.disabledReason, 'failing_too_long');
      assert.equal(off.disabledAt, new Date(started + 5 * DAY).toISOString());
    } finally {
      await ctx.close();
    }
  });
});

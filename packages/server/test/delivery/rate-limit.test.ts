import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { advanceUntil, publish } from '../helpers/drive.ts';
import { createEndpoint, createOrg, startHerald } from '../helpers/herald.ts';
import { startReceiver } from '../helpers/receiver.ts';

test('rateLimitPerSecond is never exceeded in any second of Herald’s clock', async () => {
  // Starts mid-second so the first window is a partial one.
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0, 600));
  const t = await startHerald({ clock, worker: { pollIntervalMs: 20 } });
  const receiver = await startReceiver(() => ({ status: 200 }));
  try {
    const orgId = await createOrg(t);
    const limited = await createEndpoint(t, orgId, {
      url: `${receiver.url}/limited`,
      maxConcurrency: 20,
      rateLimitPerSecond: 3,
    });
    assert.equal(limited.rateLimitPerSecond, 3);
    const total = 14;
    for (let i = 0; i < total; i++) await publish(t, orgId, 'lesson.completed', { i });

    // Quarter-second steps cross window boundaries while claims are under way.
    await advanceUntil(t, clock, 250, () => receiver.requests.length >= total);
    // webhook-timestamp is the second (on Herald's clock) each attempt started in.
    const perSecond = new Map<string, number>();
    for (const request of receiver.requests) {
      const second = String(request.headers['webhook-timestamp']);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    assert.equal(receiver.requests.length, total);
    assert.ok(
      [...perSecond.values()].every((n) => n <= 3),
      `per-second counts ${JSON.stringify([...perSecond])}`,
    );
    // The limit is used, not just respected: full seconds carry 3 each.
    assert.ok(perSecond.size >= Math.ceil(total / 3));
    assert.equal(Math.max(...perSecond.values()), 3);
  } finally {
    await t.close();
    await receiver.close();
  }
});

test('rateLimitPerSecond is validated by the API and can be changed or removed', async () => {
  const t = await startHerald({ listen: false });
  try {
    const orgId = await createOrg(t);
    for (const bad of [0, -1, 1.5, 'fast', 10_001]) {
      const { status, body } = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
        name: 'x',
        url: 'https://example.com/hooks',
        rateLimitPerSecond: bad,
      });
      assert.equal(status, 400, `rateLimitPerSecond ${bad}`);
      assert.match(body.error.code, /^WHK_ERR_/);
    }
    const created = await createEndpoint(t, orgId, { url: 'https://example.com/hooks' });
    assert.equal(created.rateLimitPerSecond, null);
    assert.equal(created.ordering, 'none');
    const path = `/v1/orgs/${orgId}/endpoints/${created.id}`;
    let { body } = await t.call('PATCH', path, { rateLimitPerSecond: 50, ordering: 'fifo' });
    assert.equal(body.rateLimitPerSecond, 50);
    assert.equal(body.ordering, 'fifo');
    ({ body } = await t.call('PATCH', path, { rateLimitPerSecond: null }));
    assert.equal(body.rateLimitPerSecond, null);
    ({ body } = await t.call('GET', path));
    assert.equal(body.rateLimitPerSecond, null);
    assert.equal(body.ordering, 'fifo');
    const { status } = await t.call('PATCH', path, { ordering: 'lifo' });
    assert.equal(status, 400);
  } finally {
    await t.close();
  }
});

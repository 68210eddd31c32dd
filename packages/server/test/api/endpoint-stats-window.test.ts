import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createEndpoint,
  createOrg,
  eventually,
  startHerald,
  type TestHerald,
} from '../helpers/herald.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';
import { badgeUser } from '../interop/payloads.ts';

describe('GET …/endpoints/:ep/stats?window=', () => {
  let t: TestHerald;
  let receiver: Receiver;
  let orgId: string;
  let endpointId: string;

  before(async () => {
    t = await startHerald({ worker: { pollIntervalMs: 20 } });
    // Every third request fails permanently-for-now: the schedule has no retries.
    receiver = await startReceiver((_request, index) => ({ status: index % 3 === 2 ? 500 : 200 }));
    orgId = await createOrg(t);
    endpointId = (
      await createEndpoint(t, orgId, { url: receiver.url, retryPolicy: { schedule: [] } })
    ).id;
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  const stats = (query = '') =>
    t.call('GET', `/v1/orgs/${orgId}/endpoints/${endpointId}/stats${query}`);

  test('without attempts: zero buckets, no rate, no latency', async () => {
    const { status, body } = await stats('?window=24h');
    assert.equal(status, 200);
    assert.equal(body.window.name, '24h');
    assert.equal(body.window.bucketMs, 3_600_000);
    assert.equal(body.window.buckets.length, 24);
    assert.equal(body.window.successRate, null);
    assert.equal(body.window.latencyMs, null);
    assert.equal(Date.parse(body.window.until) - Date.parse(body.window.since), 24 * 3_600_000);
    assert.ok(Date.parse(body.window.until) > Date.now());
  });

  test('counts attempts by outcome in the current bucket, with percentiles', async () => {
    for (let i = 0; i < 6; i++) {
      const { status } = await t.call('POST', `/v1/orgs/${orgId}/events`, {
        type: 'certificate_completed',
        payload: badgeUser({ __v: i }),
      });
      assert.equal(status, 202);
    }
    await receiver.waitFor(6);
    const { body } = await eventually(async () => {
      const answer = await stats('?window=1h');
      const w = answer.body.window;
      return w.attemptsSucceeded + w.attemptsFailed === 6 && answer;
    });
    const w = body.window;
    assert.equal(w.attemptsSucceeded, 4);
    assert.equal(w.attemptsFailed, 2);
    assert.equal(w.successRate, 4 / 6);
    assert.equal(w.buckets.length, 12);
    const last = w.buckets.at(-1);
    assert.deepEqual(
      [last.succeeded, last.failed],
      [4, 2],
      'the attempts fall in the bucket that holds now',
    );
    assert.equal(
      w.buckets.slice(0, -1).reduce((n: number, b: any) => n + b.succeeded + b.failed, 0),
      0,
    );
    assert.ok(w.latencyMs.p50 >= 0 && w.latencyMs.p50 <= w.latencyMs.p90);
    assert.ok(w.latencyMs.p90 <= w.latencyMs.p99);
    // The lifetime counters stay as they were.
    assert.equal(body.delivered, 4);
    assert.equal(body.failed, 2);
  });

  test('without window the answer keeps its old shape; a bad window is a 400', async () => {
    const { body } = await stats();
    assert.equal(body.window, undefined);
    const bad = await stats('?window=2y');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'window');
  });
});

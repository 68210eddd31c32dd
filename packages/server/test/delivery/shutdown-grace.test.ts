import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { publish } from '../helpers/drive.ts';
import { startGated } from '../helpers/gated-receiver.ts';
import { createEndpoint, createOrg, eventually, startHerald, tempDir } from '../helpers/herald.ts';

// An orchestrator kills a node that outlives its grace period: close(grace)
// must not wait for a slow receiver (up to the endpoint's timeout), and the
// attempt it gives up on is sent again after the restart.
test('close(grace) ends after the grace with a receiver slower than it; the attempt goes again on restart', async () => {
  const env = { HERALD_DATABASE_URL: `sqlite:${join(tempDir('herald-grace-'), 'herald.db')}` };
  const first = await startHerald({ env });
  const gated = await startGated();
  try {
    const org = await createOrg(first);
    await createEndpoint(first, org, { url: gated.url, eventTypes: ['x'], timeoutMs: 30_000 });
    const eventId = await publish(first, org, 'x');
    await gated.arrived(1);
    // Grace 200 ms; the receiver holds the request (the endpoint's timeout is 30 s).
    const closed = first.herald.close(200).then(() => 'closed');
    const outcome = await Promise.race([
      closed,
      new Promise((resolve) => setTimeout(() => resolve('still closing after 8 s'), 8_000)),
    ]);
    assert.equal(outcome, 'closed');

    gated.release(200);
    const second = await startHerald({ env });
    try {
      await eventually(async () => {
        const { body } = await second.call('GET', `/v1/orgs/${org}/deliveries?event=${eventId}`);
        return body.data[0]?.status === 'delivered';
      });
      assert.equal(gated.requests.length, 2, 'sent again after the restart');
      assert.equal(gated.requests[1]!.headers['webhook-id'], eventId);
    } finally {
      await second.close();
    }
  } finally {
    gated.release(200);
    await gated.close();
  }
});

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { publish } from '../helpers/drive.ts';
import {
  createEndpoint,
  createOrg,
  eventually,
  startHerald,
  useHerald,
} from '../helpers/herald.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';
import { builtInExample } from '../helpers/seeds.ts';

/** Recomputes a Standard Webhooks signature independently of Herald's own code. */
function expectedSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

describe('delivery to a real receiver', () => {
  const ctx = useHerald({ worker: { pollIntervalMs: 20 } });
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });

  test('sends the payload signed, with auth, custom headers and the event type', async () => {
    receiver.requests.length = 0;
    const endpoint = await createEndpoint(ctx.t, ctx.org, {
      url: `${receiver.url}/hooks/certificates?src=herald`,
      eventTypes: ['certificate_completed'],
      auth: { type: 'bearer', token: 'your-secret-bearer-token' },
      headers: { 'X-Tenant': 'acme' },
    });
    const payload = { ...builtInExample('certificate_completed'), expires: null };
    const { status, body: event } = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
      type: 'certificate_completed',
      payload,
    });
    assert.equal(status, 202);
    assert.equal(event.deliveries, 1);

    const [request] = await receiver.waitFor(1);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/hooks/certificates?src=herald');
    assert.deepEqual(JSON.parse(request.body), payload);
    const h = request.headers;
    assert.equal(h['content-type'], 'application/json');
    assert.equal(h.authorization, 'Bearer your-secret-bearer-token');
    assert.equal(h['x-tenant'], 'acme');
    assert.equal(h['webhook-id'], event.id);
    assert.equal(h['webhook-event-type'], 'certificate_completed');
    assert.equal(h['webhook-attempt'], '1');
    assert.equal(h['x-webhook-source'], 'herald');
    assert.match(String(h['user-agent']), /^Herald\/\d+\.\d+\.\d+$/);
    const timestamp = String(h['webhook-timestamp']);
    assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60);
    assert.equal(
      h['webhook-signature'],
      expectedSignature(endpoint.secret, event.id, timestamp, request.body),
    );

    const delivered = await eventually(async () => {
      const { body } = await ctx.t.call('GET', `/v1/orgs/${ctx.org}/deliveries?event=${event.id}`);
      return body.data[0]?.status === 'delivered' && body.data[0];
    });
    assert.equal(delivered.attemptCount, 1);
    assert.equal(delivered.lastStatusCode, 200);
  });

  test('basic and API-key auth reach the receiver as configured', async () => {
    receiver.requests.length = 0;
    await createEndpoint(ctx.t, ctx.org, {
      url: `${receiver.url}/basic`,
      eventTypes: ['auth.check'],
      auth: { type: 'basic', username: 'hr-system', password: 's3cret' },
    });
    await createEndpoint(ctx.t, ctx.org, {
      url: `${receiver.url}/apikey`,
      eventTypes: ['auth.check'],
      auth: { type: 'apiKey', header: 'X-API-Key', value: 'key-123' },
    });
    await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
      type: 'auth.check',
      payload: { ok: true },
    });
    const requests = await receiver.waitFor(2);
    const basic = requests.find((r) => r.path === '/basic')!;
    const apiKey = requests.find((r) => r.path === '/apikey')!;
    assert.equal(
      basic.headers.authorization,
      `Basic ${Buffer.from('hr-system:s3cret').toString('base64')}`,
    );
    assert.equal(apiKey.headers['x-api-key'], 'key-123');
    assert.equal(apiKey.headers.authorization, undefined);
  });

  test('only enabled endpoints subscribed to the type receive the event', async () => {
    receiver.requests.length = 0;
    await createEndpoint(ctx.t, ctx.org, {
      url: `${receiver.url}/sub`,
      eventTypes: ['certificate_expired'],
    });
    await createEndpoint(ctx.t, ctx.org, {
      url: `${receiver.url}/other`,
      eventTypes: ['something_else'],
    });
    await createEndpoint(ctx.t, ctx.org, {
      url: `${receiver.url}/off`,
      eventTypes: ['certificate_expired'],
      enabled: false,
    });
    const { body } = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
      type: 'certificate_expired',
      payload: builtInExample('certificate_expired'),
    });
    assert.equal(body.deliveries, 1);
    const [request] = await receiver.waitFor(1);
    assert.equal(request.path, '/sub');
  });
});

// Beedeez sends `X-Webhook-Source: beedeez` to every customer: the header
// names the platform running Herald, set once for the deployment.
test('HERALD_WEBHOOK_SOURCE names the sender in x-webhook-source, sent and shown', async () => {
  const t = await startHerald({ env: { HERALD_WEBHOOK_SOURCE: 'beedeez' } });
  const receiver = await startReceiver();
  try {
    const org = await createOrg(t);
    await createEndpoint(t, org, { url: `${receiver.url}/hooks` });
    const eventId = await publish(t, org, 'lesson.completed');
    const [request] = await receiver.waitFor(1);
    assert.equal(request.headers['x-webhook-source'], 'beedeez');
    const delivery = await eventually(async () => {
      const { body } = await t.call('GET', `/v1/orgs/${org}/deliveries?event=${eventId}`);
      return body.data[0]?.status === 'delivered' && body.data[0];
    });
    const { body } = await t.call('GET', `/v1/orgs/${org}/deliveries/${delivery.id}`);
    assert.equal(body.attempts[0].requestHeaders['x-webhook-source'], 'beedeez');
  } finally {
    await t.close();
    await receiver.close();
  }
});

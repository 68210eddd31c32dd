import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { blockedRange, type Resolver, systemResolver } from '../../src/delivery/ssrf-guard.ts';
import { createOrg, eventually, startHerald, type TestHerald } from '../helpers/herald.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';

/**
 * The probe suite: every kind of blocked destination, by address, by name and
 * by redirect, against a real listener on 127.0.0.1 that must see nothing.
 */

const PUBLIC = '93.184.216.34';
let rebindCalls = 0;

/** Names a test DNS server would answer; anything else goes to the system resolver (localhost). */
const resolver: Resolver = async (hostname) => {
  switch (hostname) {
    case 'evil.example':
      return [{ address: '127.0.0.1', family: 4 }];
    case 'metadata.example':
      return [{ address: '169.254.169.254', family: 4 }];
    case 'mapped.example':
      return [{ address: '::ffff:127.0.0.1', family: 6 }];
    case 'mixed.example':
      return [
        { address: PUBLIC, family: 4 },
        { address: '127.0.0.1', family: 4 },
      ];
    case 'rebind.example':
      // Public when the endpoint is checked, loopback when the worker connects.
      return [{ address: rebindCalls++ === 0 ? PUBLIC : '127.0.0.1', family: 4 }];
    case 'allowed.test':
      return [{ address: '127.0.0.1', family: 4 }];
    default:
      return systemResolver(hostname);
  }
};

describe('SSRF guard', { timeout: 60_000 }, () => {
  let t: TestHerald;
  let target: Receiver;
  let allowed: Receiver;
  let orgId: string;
  let port: string;

  before(async () => {
    target = await startReceiver();
    port = new URL(target.url).port;
    // An allowed destination that redirects to the blocked listener.
    allowed = await startReceiver(() => ({
      status: 302,
      headers: { location: `${target.url}/stolen` },
    }));
    t = await startHerald({
      resolver,
      worker: { pollIntervalMs: 20 },
      env: {
        HERALD_ALLOW_PRIVATE_NETWORKS: 'false',
        HERALD_ALLOWED_DESTINATIONS: 'allowed.test, 203.0.113.0/24',
      },
    });
    orgId = await createOrg(t);
  });
  after(async () => {
    await t.close();
    await target.close();
    await allowed.close();
  });

  const blockedUrls = () => [
    `http://localhost:${port}/`,
    `http://LOCALHOST.:${port}/`,
    `http://127.0.0.1:${port}/`,
    `http://127.1:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://2130706433:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://0.0.0.0:${port}/`,
    `http://[::1]:${port}/`,
    `http://[::]:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
    `http://[::127.0.0.1]:${port}/`,
    `http://[64:ff9b::127.0.0.1]:${port}/`,
    `http://[2002:7f00:1::1]:${port}/`,
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://240.0.0.1/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[ff02::1]/',
    `http://evil.example:${port}/`,
    `http://metadata.example:${port}/`,
    `http://mapped.example:${port}/`,
    `http://mixed.example:${port}/`,
  ];

  test('refuses every blocked destination when an endpoint is created or changed', async () => {
    for (const url of blockedUrls()) {
      const created = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, { name: 'probe', url });
      assert.equal(created.status, 400, `${url} was accepted`);
      assert.equal(created.body.error.code, 'WHK_ERR_DESTINATION_BLOCKED', url);
      assert.equal(created.body.error.field, 'url');
    }
    // A public address is accepted (so the refusals above are the guard's, not the URL's shape)…
    const ok = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
      name: 'public',
      url: `https://${PUBLIC}/hooks`,
      enabled: false,
    });
    assert.equal(ok.status, 201);
    // …and cannot be pointed somewhere private afterwards.
    const patched = await t.call('PATCH', `/v1/orgs/${orgId}/endpoints/${ok.body.id}`, {
      url: 'http://169.254.169.254/',
    });
    assert.equal(patched.status, 400);
    assert.equal(patched.body.error.code, 'WHK_ERR_DESTINATION_BLOCKED');
    // HERALD_ALLOWED_DESTINATIONS opens exceptions by name and by CIDR.
    for (const url of [`http://allowed.test:${port}/`, 'https://203.0.113.9/']) {
      const exception = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
        name: 'exception',
        url,
        enabled: false,
      });
      assert.equal(exception.status, 201, url);
    }
    assert.equal(target.requests.length, 0);
  });

  test('refuses at send time too: endpoints stored without the API check, and DNS rebinding', async () => {
    const urls = [
      ...blockedUrls().filter((url) => url.includes(`:${port}/`)),
      `http://rebind.example:${port}/`,
    ];
    const now = Date.now();
    // rebind.example passes the create-time check (it answers a public address first).
    const rebind = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
      name: 'rebind',
      url: `http://rebind.example:${port}/`,
      retryPolicy: { schedule: [] },
      eventTypes: ['probe'],
    });
    assert.equal(rebind.status, 201);
    for (const [i, url] of urls.slice(0, -1).entries()) {
      // Straight into the store, as if the policy had changed since they were created.
      await t.herald.store.createEndpoint(
        {
          id: `ep_probe${String(i).padStart(3, '0')}`,
          orgId,
          name: 'stored probe',
          url,
          eventTypes: ['probe'],
          enabled: true,
          auth: null,
          headers: {},
          timeoutMs: 2000,
          maxConcurrency: 1,
          retryPolicy: { schedule: [] },
          payloadFormat: 'raw',
          secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        },
        now,
      );
    }
    const event = await t.call('POST', `/v1/orgs/${orgId}/events`, { type: 'probe', payload: {} });
    assert.equal(event.status, 202);
    assert.equal(event.body.deliveries, urls.length);

    const failed = await eventually(async () => {
      const page = await t.call('GET', `/v1/orgs/${orgId}/deliveries?status=failed&limit=100`);
      return page.body.data.length === urls.length && page.body.data;
    });
    for (const delivery of failed) {
      const { body } = await t.call('GET', `/v1/orgs/${orgId}/deliveries/${delivery.id}`);
      assert.equal(body.attempts.length, 1);
      assert.equal(body.attempts[0].error, 'destination_blocked', JSON.stringify(body.attempts[0]));
    }
    assert.equal(target.requests.length, 0, 'a blocked destination was reached');
  });

  test('never follows a redirect from an allowed destination to a blocked one', async () => {
    const endpoint = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
      name: 'redirector',
      url: `http://allowed.test:${new URL(allowed.url).port}/hook`,
      eventTypes: ['redirect'],
      retryPolicy: { schedule: [] },
    });
    assert.equal(endpoint.status, 201);
    await t.call('POST', `/v1/orgs/${orgId}/events`, { type: 'redirect', payload: {} });
    await allowed.waitFor(1);
    const delivery = await eventually(async () => {
      const page = await t.call(
        'GET',
        `/v1/orgs/${orgId}/deliveries?endpoint=${endpoint.body.id}&status=failed`,
      );
      return page.body.data[0];
    });
    const { body } = await t.call('GET', `/v1/orgs/${orgId}/deliveries/${delivery.id}`);
    assert.equal(body.attempts[0].statusCode, 302);
    assert.equal(body.attempts[0].error, 'redirect');
    assert.match(body.attempts[0].errorMessage, /not followed/);
    assert.equal(allowed.requests.length, 1);
    assert.equal(target.requests.length, 0);
  });
});

describe('HERALD_REQUIRE_HTTPS', () => {
  test('refuses http: destinations', async (ctx) => {
    const t = await startHerald({ listen: false, env: { HERALD_REQUIRE_HTTPS: 'true' } });
    ctx.after(() => t.close());
    const orgId = await createOrg(t);
    const plain = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
      name: 'plain',
      url: 'http://hooks.example.com/',
    });
    assert.equal(plain.status, 400);
    assert.equal(plain.body.error.code, 'WHK_ERR_DESTINATION_BLOCKED');
    const tls = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
      name: 'tls',
      url: `https://${PUBLIC}/`,
    });
    assert.equal(tls.status, 201);
  });
});

describe('blockedRange', () => {
  test('names the range of private addresses and passes public ones', () => {
    assert.equal(blockedRange('8.8.8.8'), null);
    assert.equal(blockedRange('2606:4700:4700::1111'), null);
    assert.equal(blockedRange('64:ff9b::8.8.8.8'), null);
    assert.equal(blockedRange('169.254.169.254'), 'linkLocal');
    assert.equal(blockedRange('100.100.100.200'), 'carrierGradeNat');
    assert.equal(blockedRange('::ffff:10.1.2.3'), 'private');
    assert.equal(blockedRange('fd00::1'), 'uniqueLocal');
    assert.equal(blockedRange('2001:0::1'), 'teredo');
    assert.match(blockedRange('64:ff9b::7f00:1') ?? '', /loopback/);
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createEndpoint, eventually, useHerald } from '../helpers/herald.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';
import { badgeUser } from '../interop/payloads.ts';

describe('GET …/deliveries/:dlv shows each attempt’s request headers, credentials redacted', () => {
  const ctx = useHerald({ worker: { pollIntervalMs: 20 } });
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });

  const deliverOne = async (endpointId: string) => {
    const { body: event } = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
      type: 'certificate_completed',
      payload: badgeUser(),
    });
    return eventually(async () => {
      const { body } = await ctx.t.call('GET', `/v1/orgs/${ctx.org}/deliveries?event=${event.id}`);
      const found = body.data.find((d: any) => d.endpointId === endpointId);
      if (found?.status !== 'delivered') return undefined;
      return (await ctx.t.call('GET', `/v1/orgs/${ctx.org}/deliveries/${found.id}`)).body;
    });
  };

  test('they are the headers the receiver got, with auth and secret-looking ones redacted', async () => {
    const endpoint = await createEndpoint(ctx.t, ctx.org, {
      url: `${receiver.url}/in`,
      auth: { type: 'bearer', token: 'super-secret-token' },
      headers: { 'X-Tenant': 'acme', 'X-Api-Token': 'another-secret' },
    });
    const delivery = await deliverOne(endpoint.id);
    const [sent] = receiver.requests.slice(-1);
    const shown = delivery.attempts[0].requestHeaders;
    assert.equal(shown.authorization, '[redacted]');
    assert.equal(shown['x-api-token'], '[redacted]');
    assert.equal(shown['x-tenant'], 'acme');
    assert.doesNotMatch(JSON.stringify(delivery), /super-secret-token|another-secret/);
    // Everything else is exactly what went over the wire, signature and timestamp included.
    for (const [name, value] of Object.entries(shown)) {
      if (value !== '[redacted]') assert.equal(sent.headers[name], value, name);
    }
    assert.equal(shown['webhook-attempt'], '1');
    assert.match(shown['webhook-signature'], /^v1,/);
  });

  test('an API-key header is redacted under its own name; a deleted endpoint gives none', async () => {
    const endpoint = await createEndpoint(ctx.t, ctx.org, {
      url: `${receiver.url}/key`,
      auth: { type: 'apiKey', header: 'X-Partner-Key', value: 'pk_live_123' },
    });
    const delivery = await deliverOne(endpoint.id);
    assert.equal(delivery.attempts[0].requestHeaders['x-partner-key'], '[redacted]');
    assert.equal(receiver.requests.at(-1)?.headers['x-partner-key'], 'pk_live_123');

    assert.equal(
      (await ctx.t.call('DELETE', `/v1/orgs/${ctx.org}/endpoints/${endpoint.id}`)).status,
      204,
    );
    const { body } = await ctx.t.call('GET', `/v1/orgs/${ctx.org}/deliveries/${delivery.id}`);
    assert.equal(body.attempts.length, 1);
    assert.equal(body.attempts[0].requestHeaders, undefined);
  });
});

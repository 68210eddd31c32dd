import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { verify } from '@herald/sdk';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { createEndpoint, useHerald } from '../helpers/herald.ts';
import { type ReceivedRequest, type Receiver, startReceiver } from '../helpers/receiver.ts';
import { badgeUser } from './payloads.ts';

/** The headers as the libraries take them: single strings. */
function flat(request: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.join(', ') : (v ?? ''),
    ]),
  );
}

/**
 * Every request a running Herald sends, whatever the payload format, auth and
 * custom headers, verifies with the reference Standard Webhooks library, with
 * Svix's, and with the SDK.
 */
describe('requests from a running Herald verify with standardwebhooks and svix', () => {
  const ctx = useHerald({ worker: { pollIntervalMs: 20 } });
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });

  const formats = ['raw', 'envelope', 'standard'] as const;
  for (const [index, payloadFormat] of formats.entries()) {
    test(`${payloadFormat} format`, async () => {
      receiver.requests.length = 0;
      const endpoint = await createEndpoint(ctx.t, ctx.org, {
        url: `${receiver.url}/hooks/${payloadFormat}`,
        payloadFormat,
        auth: { type: 'basic', username: 'herald', password: 'p@ss' },
        headers: { 'X-Tenant': 'acme' },
      });
      // Non-ASCII on purpose: the signature is over the UTF-8 bytes.
      const payload = badgeUser({
        ruleData: {
          type: 'certification',
          name: 'Sécurité incendie ✓',
          validityDurationDays: null,
        },
      });
      const sent = await ctx.t.call('POST', `/v1/orgs/${ctx.org}/events`, {
        type: 'certificate_completed',
        payload,
      });
      assert.equal(sent.status, 202);
      // Earlier tests' endpoints get the event too: pick this endpoint's request.
      await receiver.waitFor(index + 1);
      const request = receiver.requests.find((r) => r.path === `/hooks/${payloadFormat}`);
      assert.ok(request, 'the endpoint got its request');
      const headers = flat(request);

      const standard = new StandardWebhook(endpoint.secret).verify(request.body, headers);
      assert.deepEqual(standard, JSON.parse(request.body));
      new SvixWebhook(endpoint.secret).verify(request.body, headers);
      const event = verify(request.body, request.headers, endpoint.secret);
      assert.equal(event.id, sent.body.id);
      assert.equal(event.type, 'certificate_completed');
      assert.equal(event.attempt, 1);

      // And none of them accepts it with another endpoint's secret or a changed body.
      const other = await createEndpoint(ctx.t, ctx.org, {
        url: `${receiver.url}/other`,
        enabled: false,
      });
      assert.throws(() => new StandardWebhook(other.secret).verify(request.body, headers));
      assert.throws(() => new SvixWebhook(endpoint.secret).verify(`${request.body} `, headers));
    });
  }
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateSecret, verify, WebhookVerificationError } from '@herald/sdk';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { ManualClock } from '../../src/domain/clock.ts';
import { createEndpoint, createOrg, startHerald, type TestHerald } from '../helpers/herald.ts';
import { type ReceivedRequest, type Receiver, startReceiver } from '../helpers/receiver.ts';
import { badgeUser } from '../interop/payloads.ts';

const HOUR = 60 * 60 * 1000;

function flat(request: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.join(', ') : (v ?? ''),
    ]),
  );
}

function rejection(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
  return undefined;
}

describe('secret rotation, end to end with a real Herald and receiver', () => {
  const clock = new ManualClock(Date.now());
  let t: TestHerald;
  let receiver: Receiver;
  let orgId: string;
  let endpoint: any;

  before(async () => {
    t = await startHerald({ clock, worker: { pollIntervalMs: 20 } });
    receiver = await startReceiver();
    orgId = await createOrg(t);
    endpoint = await createEndpoint(t, orgId, { url: `${receiver.url}/hooks` });
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  async function deliverOne(): Promise<ReceivedRequest> {
    const before = receiver.requests.length;
    const sent = await t.call('POST', `/v1/orgs/${orgId}/events`, {
      type: 'certificate_completed',
      payload: badgeUser(),
    });
    assert.equal(sent.status, 202);
    const requests = await receiver.waitFor(before + 1);
    return requests[before];
  }
  const rotate = (body?: object) =>
    t.call('POST', `/v1/orgs/${orgId}/endpoints/${endpoint.id}/rotate-secret`, body);
  const at = () => ({ now: clock.now() });

  test('before a rotation requests carry one signature', async () => {
    const request = await deliverOne();
    assert.equal(String(request.headers['webhook-signature']).split(' ').length, 1);
    verify(request.body, request.headers, endpoint.secret, at());
  });

  let oldSecret: string;
  let newSecret: string;

  test('after a rotation requests carry two signatures: old and new secret both verify', async () => {
    oldSecret = endpoint.secret;
    const rotated = await rotate();
    assert.equal(rotated.status, 200);
    newSecret = rotated.body.secret;
    assert.match(newSecret, /^whsec_/);
    assert.notEqual(newSecret, oldSecret);
    assert.equal(
      Date.parse(rotated.body.previousSecretExpiresAt),
      clock.now() + 24 * HOUR,
      'the default grace period is 24 h',
    );
    const shown = await t.call('GET', `/v1/orgs/${orgId}/endpoints/${endpoint.id}/secret`);
    assert.equal(shown.body.secret, newSecret);

    const request = await deliverOne();
    const signatures = String(request.headers['webhook-signature']).split(' ');
    assert.equal(signatures.length, 2);
    // A receiver still on the old secret and one already on the new both accept it.
    verify(request.body, request.headers, oldSecret, at());
    verify(request.body, request.headers, newSecret, at());
    assert.equal(
      rejection(() => verify(request.body, request.headers, generateSecret(), at())),
      'no_matching_signature',
    );
    // So do the reference libraries (they read the clock themselves: the manual clock started at now).
    new StandardWebhook(oldSecret).verify(request.body, flat(request));
    new SvixWebhook(newSecret).verify(request.body, flat(request));
  });

  test('once the grace period is over only the new secret signs', async () => {
    clock.advance(24 * HOUR + 1);
    const request = await deliverOne();
    assert.equal(String(request.headers['webhook-signature']).split(' ').length, 1);
    verify(request.body, request.headers, newSecret, at());
    assert.equal(
      rejection(() => verify(request.body, request.headers, oldSecret, at())),
      'no_matching_signature',
    );
  });

  test('a caller-chosen secret with a custom grace period', async () => {
    const chosen = generateSecret();
    const rotated = await rotate({ secret: chosen, gracePeriodMs: HOUR });
    assert.equal(rotated.status, 200);
    assert.equal(rotated.body.secret, chosen);
    assert.equal(Date.parse(rotated.body.previousSecretExpiresAt), clock.now() + HOUR);

    const during = await deliverOne();
    verify(during.body, during.headers, chosen, at());
    verify(during.body, during.headers, newSecret, at());

    clock.advance(HOUR);
    const afterGrace = await deliverOne();
    verify(afterGrace.body, afterGrace.headers, chosen, at());
    assert.equal(
      rejection(() => verify(afterGrace.body, afterGrace.headers, newSecret, at())),
      'no_matching_signature',
    );
  });

  test('two rotations inside the grace period keep every unexpired secret signing', async () => {
    const first = (await rotate()).body.secret;
    const second = (await rotate({ gracePeriodMs: 2 * HOUR })).body.secret;
    const request = await deliverOne();
    assert.equal(String(request.headers['webhook-signature']).split(' ').length, 3);
    for (const secret of [first, second]) verify(request.body, request.headers, secret, at());
  });

  test('gracePeriodMs 0 retires the old secret at once', async () => {
    const current = (await t.call('GET', `/v1/orgs/${orgId}/endpoints/${endpoint.id}/secret`)).body
      .secret;
    clock.advance(25 * HOUR);
    const rotated = await rotate({ gracePeriodMs: 0 });
    assert.equal(rotated.body.previousSecretExpiresAt, null);
    const request = await deliverOne();
    assert.equal(String(request.headers['webhook-signature']).split(' ').length, 1);
    verify(request.body, request.headers, rotated.body.secret, at());
    assert.equal(
      rejection(() => verify(request.body, request.headers, current, at())),
      'no_matching_signature',
    );
  });

  test('bad requests are refused with their error codes', async () => {
    const tooShort = `whsec_${Buffer.alloc(16, 1).toString('base64')}`;
    for (const [body, field] of [
      [{ secret: tooShort }, 'secret'],
      [{ secret: 'sk_live_123' }, undefined],
      [{ gracePeriodMs: -1 }, undefined],
      [{ gracePeriodMs: 8 * 24 * HOUR }, undefined],
      [{ other: 1 }, undefined],
    ] as const) {
      const answer = await rotate(body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, 'WHK_ERR_VALIDATION');
      if (field) assert.equal(answer.body.error.field, field);
    }
    const current = (await t.call('GET', `/v1/orgs/${orgId}/endpoints/${endpoint.id}/secret`)).body
      .secret;
    const same = await rotate({ secret: current });
    assert.equal(same.status, 400);
    const missing = await t.call('POST', `/v1/orgs/${orgId}/endpoints/ep_nope/rotate-secret`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'WHK_ERR_NOT_FOUND');
  });
});

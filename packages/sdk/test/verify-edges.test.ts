import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { generateSecret, sign, verify } from '../src/index.ts';
import { codeOf } from './helpers.ts';

const body = '{"hello":"world"}';
const id = 'evt_review';
const secret = generateSecret();
const now = Math.floor(Date.now() / 1000);
const good = sign({ id, timestamp: now, body }, secret);
const other = sign({ id, timestamp: now, body }, generateSecret());
const headers = (signature: string | string[], timestamp = now) => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});

describe('a webhook-signature header sent twice', () => {
  // node:http joins a repeated unknown header with ", " (IncomingMessage.headers); fetch's Headers.get too.
  test('joined by node/fetch, the matching signature first: standardwebhooks accepts, so should the SDK', () => {
    const h = headers(`${good}, ${other}`);
    assert.ok(new StandardWebhook(secret).verify(body, h as Record<string, string>));
    assert.equal(
      codeOf(() => verify(body, h, secret)),
      'accepted',
    );
  });
  test('as an array (IncomingMessage.headersDistinct, a HeadersLike the SDK accepts)', () => {
    assert.equal(
      codeOf(() => verify(body, headers([good, other]), secret)),
      'accepted',
    );
  });
});

describe('replay window options that are not numbers', () => {
  const month = 30 * 86400;
  const stale = headers(sign({ id, timestamp: now - month, body }, secret), now - month);
  test('toleranceSeconds: NaN (e.g. Number(process.env.UNSET)) is refused, not a window without end', () => {
    assert.throws(
      () => verify(body, stale, secret, { toleranceSeconds: Number(undefined) }),
      RangeError,
    );
  });
  test('now: an invalid Date is refused', () => {
    assert.throws(() => verify(body, stale, secret, { now: new Date('not a date') }), RangeError);
  });
});

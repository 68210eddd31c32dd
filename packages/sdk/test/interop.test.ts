import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { generateSecret, sign, verify } from '../src/index.ts';
import { codeOf } from './helpers.ts';
import { VECTOR } from './vectors.ts';

/** The two reference implementations, each signing and verifying with the same shape. */
const LIBRARIES = [
  { name: 'standardwebhooks', make: (secret: string) => new StandardWebhook(secret) },
  { name: 'svix', make: (secret: string) => new SvixWebhook(secret) },
] as const;

const body = JSON.stringify({
  _id: '507f1f77bcf86cd799439011',
  _userId: '507f191e810c19729de860ea',
  ruleData: { type: 'certification', name: 'Safety Training Certificate — ✓' },
});

function heraldRequest(secret: string | string[], nowSeconds = Math.floor(Date.now() / 1000)) {
  const id = 'evt_01JDINTEROP0000000000000';
  return {
    'webhook-id': id,
    'webhook-timestamp': String(nowSeconds),
    'webhook-signature': sign({ id, timestamp: nowSeconds, body }, secret),
  };
}

for (const library of LIBRARIES) {
  describe(`interop with ${library.name}`, () => {
    test('it produces the specification signature, as the SDK does', () => {
      const signature = library
        .make(VECTOR.secret)
        .sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body);
      assert.equal(signature, VECTOR.signature);
      assert.equal(
        sign({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body }, VECTOR.secret),
        signature,
      );
    });

    test('it verifies what the SDK signs, with one or two (rotation) signatures', () => {
      const secret = generateSecret();
      // standardwebhooks returns the parsed body; svix's verify returns nothing and throws on failure.
      const result = library.make(secret).verify(body, heraldRequest(secret));
      if (library.name === 'standardwebhooks') assert.deepEqual(result, JSON.parse(body));
      const other = generateSecret();
      const both = heraldRequest([other, secret]);
      library.make(secret).verify(body, both);
      library.make(other).verify(body, both);
    });

    test('it rejects what the SDK rejects', () => {
      const secret = generateSecret();
      const headers = heraldRequest(secret);
      const wh = library.make(secret);
      assert.throws(() => wh.verify(`${body} `, headers));
      assert.throws(() => library.make(generateSecret()).verify(body, headers));
      assert.throws(() =>
        wh.verify(body, heraldRequest(secret, Math.floor(Date.now() / 1000) - 600)),
      );
    });

    test('the SDK verifies what it signs', () => {
      const secret = generateSecret();
      const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
      const now = new Date();
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': library.make(secret).sign(id, now, body),
      };
      const event = verify(body, headers, secret);
      assert.equal(event.id, id);
      assert.deepEqual(event.payload, JSON.parse(body));
    });

    test('the SDK rejects each kind of bad request it signs, with its code', () => {
      const secret = generateSecret();
      const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
      const signed = (at: Date, payload = body) => ({
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': library.make(secret).sign(id, at, payload),
      });
      const now = new Date();
      const good = signed(now);
      const cases: [string, () => unknown][] = [
        ['no_matching_signature', () => verify(body.replace('Safety', 'Safety!'), good, secret)],
        ['no_matching_signature', () => verify(body, good, generateSecret())],
        [
          'timestamp_too_old',
          () => verify(body, signed(new Date(now.getTime() - 310_000)), secret),
        ],
        [
          'timestamp_in_future',
          () => verify(body, signed(new Date(now.getTime() + 310_000)), secret),
        ],
        [
          'malformed_signature',
          () =>
            verify(
              body,
              { ...good, 'webhook-signature': good['webhook-signature'].replace(',', '') },
              secret,
            ),
        ],
        [
          'invalid_timestamp',
          () => verify(body, { ...good, 'webhook-timestamp': 'yesterday' }, secret),
        ],
        ['missing_header', () => verify(body, { ...good, 'webhook-signature': '' }, secret)],
        [
          'missing_header',
          () => verify(body, { 'webhook-signature': good['webhook-signature'] }, secret),
        ],
        ['invalid_secret', () => verify(body, good, secret.replace('whsec_', 'sk_'))],
      ];
      for (const [code, attempt] of cases) assert.equal(codeOf(attempt), code);
      // The same request, intact, is accepted: the cases above fail for their one reason.
      assert.equal(
        codeOf(() => verify(body, good, secret)),
        'accepted',
      );
    });
  });
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateSecret, sign, verify, WebhookVerificationError } from '../src/index.ts';
import { VECTOR, VECTOR_NOW, vectorHeaders } from './vectors.ts';

function rejects(fn: () => unknown, code: string, header?: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, `expected a WebhookVerificationError`);
    assert.equal(error.code, code, error.message);
    if (header) assert.equal(error.header, header);
    return true;
  });
}

describe('Standard Webhooks test vectors', () => {
  test('sign produces the specification signature', () => {
    assert.equal(
      sign({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body }, VECTOR.secret),
      VECTOR.signature,
    );
  });

  test('verify accepts the specification request and returns its identity and body', () => {
    const event = verify(VECTOR.body, vectorHeaders(), VECTOR.secret, { now: VECTOR_NOW });
    assert.deepEqual(event, {
      id: VECTOR.id,
      type: '',
      timestamp: new Date(VECTOR_NOW),
      attempt: null,
      payload: { test: 2432232314 },
    });
  });

  test('a Buffer body verifies like the string', () => {
    verify(Buffer.from(VECTOR.body), vectorHeaders(), VECTOR.secret, { now: VECTOR_NOW });
    verify(new TextEncoder().encode(VECTOR.body), vectorHeaders(), VECTOR.secret, {
      now: new Date(VECTOR_NOW),
    });
  });

  test('several signatures, other versions among them, verify when one matches', () => {
    const header = [
      'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      VECTOR.signature,
      'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
    ].join(' ');
    verify(VECTOR.body, vectorHeaders({ 'webhook-signature': header }), VECTOR.secret, {
      now: VECTOR_NOW,
    });
  });

  test('a signature of another version only is not a match', () => {
    const header = VECTOR.signature.replace('v1,', 'v2,');
    rejects(
      () =>
        verify(VECTOR.body, vectorHeaders({ 'webhook-signature': header }), VECTOR.secret, {
          now: VECTOR_NOW,
        }),
      'no_matching_signature',
    );
  });

  test('the tolerance is 5 minutes either way by default', () => {
    const at = (seconds: number) => ({ now: VECTOR_NOW + seconds * 1000 });
    verify(VECTOR.body, vectorHeaders(), VECTOR.secret, at(300));
    verify(VECTOR.body, vectorHeaders(), VECTOR.secret, at(-300));
    rejects(
      () => verify(VECTOR.body, vectorHeaders(), VECTOR.secret, at(301)),
      'timestamp_too_old',
    );
    rejects(
      () => verify(VECTOR.body, vectorHeaders(), VECTOR.secret, at(-301)),
      'timestamp_in_future',
    );
  });

  test('toleranceSeconds changes the window', () => {
    const options = { now: VECTOR_NOW + 60_000, toleranceSeconds: 30 };
    rejects(
      () => verify(VECTOR.body, vectorHeaders(), VECTOR.secret, options),
      'timestamp_too_old',
    );
    verify(VECTOR.body, vectorHeaders(), VECTOR.secret, { ...options, toleranceSeconds: 60 });
  });
});

describe('every rejection has its code', () => {
  const now = { now: VECTOR_NOW };
  for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    test(`missing ${header}`, () => {
      rejects(
        () => verify(VECTOR.body, vectorHeaders({ [header]: undefined }), VECTOR.secret, now),
        'missing_header',
        header,
      );
      rejects(
        () => verify(VECTOR.body, vectorHeaders({ [header]: '' }), VECTOR.secret, now),
        'missing_header',
        header,
      );
    });
  }

  test('a timestamp that is not whole seconds', () => {
    for (const bad of ['hello', '1614265330.5', '-1614265330', '1614265330000000000']) {
      rejects(
        () => verify(VECTOR.body, vectorHeaders({ 'webhook-timestamp': bad }), VECTOR.secret, now),
        'invalid_timestamp',
        'webhook-timestamp',
      );
    }
  });

  test('a signature header with no well-formed entry', () => {
    for (const bad of ['v1,', 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', 'v1:abc', 'v1,***']) {
      rejects(
        () => verify(VECTOR.body, vectorHeaders({ 'webhook-signature': bad }), VECTOR.secret, now),
        'malformed_signature',
        'webhook-signature',
      );
    }
  });

  test('a wrong or truncated signature', () => {
    for (const bad of ['v1,dawfeoifkpqwoekfpqoekf', VECTOR.signature.slice(0, 8)]) {
      rejects(
        () => verify(VECTOR.body, vectorHeaders({ 'webhook-signature': bad }), VECTOR.secret, now),
        'no_matching_signature',
      );
    }
  });

  test('a tampered body, id or timestamp', () => {
    rejects(
      () => verify('{"test": 2432232315}', vectorHeaders(), VECTOR.secret, now),
      'no_matching_signature',
    );
    rejects(
      () => verify(VECTOR.body, vectorHeaders({ 'webhook-id': 'msg_other' }), VECTOR.secret, now),
      'no_matching_signature',
    );
    rejects(
      () =>
        verify(
          VECTOR.body,
          vectorHeaders({ 'webhook-timestamp': String(VECTOR.timestamp + 1) }),
          VECTOR.secret,
          now,
        ),
      'no_matching_signature',
    );
  });

  test('the wrong secret', () => {
    rejects(
      () => verify(VECTOR.body, vectorHeaders(), generateSecret(), now),
      'no_matching_signature',
    );
  });

  test('a secret that is not whsec_ + base64', () => {
    for (const bad of ['', 'whsec_', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_not base64!']) {
      rejects(() => verify(VECTOR.body, vectorHeaders(), bad, now), 'invalid_secret');
    }
    rejects(() => verify(VECTOR.body, vectorHeaders(), [], now), 'invalid_secret');
  });

  test('a correctly signed body that is not JSON', () => {
    const secret = generateSecret();
    const body = 'not json';
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': sign({ id: 'msg_1', timestamp: VECTOR.timestamp, body }, secret),
    };
    rejects(() => verify(body, headers, secret, now), 'invalid_payload');
  });

  test('a parsed object instead of the raw body is a programming error, not a rejection', () => {
    assert.throws(
      () => verify({ test: 1 } as never, vectorHeaders(), VECTOR.secret, now),
      TypeError,
    );
  });
});

describe('rotation, headers and metadata', () => {
  const now = { now: VECTOR_NOW };

  test('any of several secrets verifies; raw key bytes are accepted', () => {
    verify(VECTOR.body, vectorHeaders(), [generateSecret(), VECTOR.secret], now);
    const key = Buffer.from(VECTOR.secret.slice('whsec_'.length), 'base64');
    verify(VECTOR.body, vectorHeaders(), key, now);
  });

  test('a request signed with the old and the new secret verifies with either', () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const input = { id: 'evt_1', timestamp: VECTOR.timestamp, body: '{"a":1}' };
    const headers = {
      'webhook-id': input.id,
      'webhook-timestamp': String(input.timestamp),
      'webhook-signature': sign(input, [newSecret, oldSecret]),
    };
    assert.equal(headers['webhook-signature'].split(' ').length, 2);
    verify(input.body, headers, oldSecret, now);
    verify(input.body, headers, newSecret, now);
    rejects(() => verify(input.body, headers, generateSecret(), now), 'no_matching_signature');
  });

  test('headers may be a fetch Headers, any case, arrays, or svix-* names', () => {
    verify(VECTOR.body, new Headers(vectorHeaders()), VECTOR.secret, now);
    const upper = Object.fromEntries(
      Object.entries(vectorHeaders()).map(([k, v]) => [k.toUpperCase(), v]),
    );
    verify(VECTOR.body, upper, VECTOR.secret, now);
    const svix = Object.fromEntries(
      Object.entries(vectorHeaders()).map(([k, v]) => [k.replace('webhook-', 'svix-'), v]),
    );
    verify(VECTOR.body, svix, VECTOR.secret, now);
    verify(VECTOR.body, { ...vectorHeaders(), 'webhook-id': [VECTOR.id] }, VECTOR.secret, now);
  });

  test('type and attempt come from Herald headers, type from the body otherwise', () => {
    const secret = generateSecret();
    const body = JSON.stringify({ type: 'certificate_completed', data: {} });
    const headers = {
      'webhook-id': 'evt_2',
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': sign({ id: 'evt_2', timestamp: VECTOR.timestamp, body }, secret),
    };
    assert.equal(verify(body, headers, secret, now).type, 'certificate_completed');
    const herald = verify(
      body,
      { ...headers, 'webhook-event-type': 'certificate_expired', 'webhook-attempt': '3' },
      secret,
      now,
    );
    assert.equal(herald.type, 'certificate_expired');
    assert.equal(herald.attempt, 3);
  });
});

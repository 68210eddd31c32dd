import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { generateSecret, sign } from '../src/index.ts';
import { certificate, post, signedRequest } from './helpers.ts';

const examples = new URL('../examples/', import.meta.url);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const EXAMPLES = ['verify', 'express', 'fastify', 'redis', 'rotation'];

// The examples read their configuration from the environment when imported.
const secret = generateSecret();
const oldSecret = generateSecret();
const prefix = `herald-readme-test:${randomUUID()}:`;
Object.assign(process.env, {
  PORT: '0',
  HOST: '127.0.0.1',
  HERALD_WEBHOOK_SECRET: secret,
  HERALD_SECRET_NEW: secret,
  HERALD_SECRET_OLD: oldSecret,
  DEDUPE_PREFIX: prefix,
  REDIS_URL: 'redis://127.0.0.1:6379',
});

const { received } = await import('../examples/your-app.ts');

async function urlOf(server: Server, path = ''): Promise<string> {
  if (!server.listening) await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

function last() {
  return received.at(-1);
}

test('every README code block of the SDK is one of the tested example files, verbatim', () => {
  for (const name of EXAMPLES) {
    const code = readFileSync(new URL(`${name}.ts`, examples), 'utf8').trimEnd();
    assert.ok(
      readme.includes(`\`\`\`ts\n${code}\n\`\`\``),
      `README lacks examples/${name}.ts as is`,
    );
  }
  const blocks = readme.match(/```ts\n/g) ?? [];
  assert.equal(blocks.length, EXAMPLES.length, 'a ts block in the README is not a tested example');
});

describe('"Verify in 10 lines" (examples/verify.ts)', () => {
  let server: Server;
  before(async () => {
    ({ server } = await import('../examples/verify.ts'));
  });
  after(() => server.close());

  test('accepts a signed request and hands the event on', async () => {
    const request = signedRequest(certificate, { secret, type: 'certificate_completed' });
    const response = await fetch(await urlOf(server), {
      method: 'POST',
      body: request.body,
      headers: request.headers,
    });
    assert.equal(response.status, 200);
    assert.equal(last()?.what, 'event');
    const event = last()!.value as { id: string; type: string; payload: unknown };
    assert.equal(event.id, request.id);
    assert.equal(event.type, 'certificate_completed');
    assert.deepEqual(event.payload, certificate);
  });

  test('refuses a wrong signature with 401 and its code', async () => {
    const request = signedRequest(certificate, { secret: generateSecret() });
    const response = await fetch(await urlOf(server), {
      method: 'POST',
      body: request.body,
      headers: request.headers,
    });
    assert.equal(response.status, 401);
    assert.equal(await response.text(), 'no_matching_signature');
  });
});

describe('Express example (examples/express.ts)', () => {
  let server: Server;
  let url: string;
  before(async () => {
    ({ server } = await import('../examples/express.ts'));
    url = await urlOf(server, '/webhooks/herald');
  });
  after(() => server.close());

  test('routes typed events to the app and drops duplicates', async () => {
    const completed = signedRequest(certificate, { secret, type: 'certificate_completed' });
    assert.deepEqual(await post(url, completed), { status: 200, body: { received: true } });
    assert.deepEqual(last(), { what: 'certificate', value: certificate });

    const count = received.length;
    const retry = signedRequest(certificate, { secret, id: completed.id, attempt: 2 });
    const answer = await post(url, retry);
    assert.deepEqual(answer.body, { received: true, duplicate: true });
    assert.equal(received.length, count);

    const expired = {
      ...certificate,
      expires: '2024-11-27T10:30:00.000Z',
      expiryReminderSent: true,
    };
    await post(url, signedRequest(expired, { secret, type: 'certificate_expired' }));
    assert.deepEqual(last(), { what: 'expired', value: expired });
  });

  test('answers 401 to a bad signature', async () => {
    const answer = await post(url, signedRequest(certificate, { secret: generateSecret() }));
    assert.equal(answer.status, 401);
  });
});

describe('Fastify example (examples/fastify.ts)', () => {
  let app: { server: Server; close(): Promise<unknown> };
  before(async () => {
    ({ app } = await import('../examples/fastify.ts'));
  });
  after(() => app.close());

  test('an envelope endpoint’s certificate.created reaches the app', async () => {
    const seably = {
      type: 'certificate',
      id: 'SB-00000001',
      user: { id: '507f191e810c19729de860ea', name: 'Ada Lovelace', email: 'ada@example.com' },
      course: { id: '507f191e810c19729de860ec', name: 'Safety Training Certificate' },
      issuedAt: '2024-11-27T10:30:00.000Z',
      expiresAt: '2025-11-27T10:30:00.000Z',
    };
    const envelope = { event: 'certificate.created', payload: { data: seably } };
    const answer = await post(
      await urlOf(app.server, '/webhooks/herald'),
      signedRequest(envelope, { secret, type: 'certificate.created' }),
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(last(), { what: 'seably', value: seably });
  });
});

describe('Redis idempotency example (examples/redis.ts, real Redis on 127.0.0.1:6379)', () => {
  let example: typeof import('../examples/redis.ts');
  before(async () => {
    example = await import('../examples/redis.ts');
  });
  after(() => example.close());

  test('a webhook delivered twice is handled once', async () => {
    const url = await urlOf(example.server);
    const request = signedRequest(certificate, { secret });
    const count = received.length;
    assert.equal((await post(url, request)).status, 200);
    const again = await post(
      url,
      signedRequest(certificate, { secret, id: request.id, attempt: 2 }),
    );
    assert.deepEqual(again.body, { received: true, duplicate: true });
    assert.equal(received.length, count + 1);
    // the id is in Redis under the example's prefix
    assert.equal(await example.deduper.claim(request.id), 'done');
  });
});

describe('Rotation example (examples/rotation.ts)', () => {
  test('accepts requests signed with the old, the new, or both secrets', async () => {
    const { verifyDuringRotation } = await import('../examples/rotation.ts');
    const body = JSON.stringify(certificate);
    const timestamp = Math.floor(Date.now() / 1000);
    for (const secrets of [[oldSecret], [secret], [secret, oldSecret]]) {
      const headers = {
        'webhook-id': 'evt_rot',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign({ id: 'evt_rot', timestamp, body }, secrets),
      };
      assert.deepEqual(verifyDuringRotation(body, headers).payload, certificate);
    }
    const stranger = {
      'webhook-id': 'evt_rot',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign({ id: 'evt_rot', timestamp, body }, generateSecret()),
    };
    assert.throws(() => verifyDuringRotation(body, stranger), { code: 'no_matching_signature' });
  });
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateSecret, verify } from '@herald/sdk';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { tempDir } from '../helpers/herald.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';
import { runHerald } from './listen-process.ts';

const flat = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));

describe('herald send', () => {
  const secret = generateSecret();
  const dir = tempDir();
  const file = join(dir, 'payload.json');
  // Formatted as a person writes it: the bytes must arrive exactly as in the file.
  const payload = '{\n  "_id": "507f1f77bcf86cd799439011",\n  "expires": null\n}\n';
  let receiver: Receiver;

  before(async () => {
    writeFileSync(file, payload);
    receiver = await startReceiver((request) =>
      request.path === '/fail'
        ? { status: 500, body: '{"error":"nope"}' }
        : {
            status: 200,
            body: '{"received":true}',
            headers: { 'content-type': 'application/json' },
          },
    );
  });
  after(() => receiver.close());

  test('sends one correctly signed request and prints the response', async () => {
    const run = runHerald([
      'send',
      '--url',
      `${receiver.url}/hooks`,
      '--secret',
      secret,
      '--type',
      'certificate_completed',
      '--file',
      file,
      '--header',
      'Authorization: Bearer your-token',
    ]);
    assert.equal(await run.exited, 0, run.output());
    const [request] = await receiver.waitFor(1);
    assert.equal(request.body, payload);
    const event = verify(request.body, request.headers, secret);
    assert.equal(event.type, 'certificate_completed');
    assert.equal(event.attempt, 1);
    assert.match(event.id, /^evt_/);
    new StandardWebhook(secret).verify(request.body, flat(request.headers));
    assert.equal(request.headers.authorization, 'Bearer your-token');

    const output = run.output();
    assert.match(output, /→ POST http:\/\/127\.0\.0\.1:\d+\/hooks/);
    assert.match(output, /webhook-signature: v1,/);
    assert.match(output, /← 200 OK/);
    assert.match(output, /"received": true/);
  });

  test('a non-2xx answer is printed and exits 1', async () => {
    const run = runHerald([
      'send',
      '--url',
      `${receiver.url}/fail`,
      '--secret',
      secret,
      '--type',
      'x',
      '--data',
      '{}',
    ]);
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /← 500 Internal Server Error/);
  });

  test('a bad invocation names the problem and exits 2', async () => {
    for (const [args, message] of [
      [['--url', receiver.url, '--type', 'x', '--data', '{}'], /--secret is required/],
      [
        ['--url', receiver.url, '--secret', 'nope', '--type', 'x', '--data', '{}'],
        /--secret: expected/,
      ],
      [
        ['--url', receiver.url, '--secret', secret, '--type', 'x', '--data', '{oops'],
        /not valid JSON/,
      ],
    ] as const) {
      const run = runHerald(['send', ...args]);
      assert.equal(await run.exited, 2);
      assert.match(run.output(), message);
    }
  });
});

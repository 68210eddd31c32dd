import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { generateSecret, sign } from '@herald/sdk';
import { formatRequest, PLAIN } from '../../src/cli/listen/format.ts';
import { type Inspector, startInspector } from '../../src/cli/listen/inspector.ts';

function rawPost(
  url: string,
  body: Buffer,
  headers: Record<string, string> = {},
  agent?: Agent | false,
) {
  return new Promise<{ status: number | null; error?: string }>((resolve) => {
    const req = request(
      `${url}/hooks`,
      {
        method: 'POST',
        agent: agent ?? false,
        headers: { 'content-length': String(body.length), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? null }));
      },
    );
    req.on('error', (error) =>
      resolve({ status: null, error: (error as NodeJS.ErrnoException).code }),
    );
    req.end(body);
  });
}

describe('herald listen: odd bodies and limits', () => {
  const secret = generateSecret();
  let inspector: Inspector;
  before(async () => {
    inspector = await startInspector(
      { secrets: [secret], status: { kind: 'flaky' }, onRequest() {} },
      { port: 0, host: '127.0.0.1' },
    );
  });
  after(() => inspector.close());

  test('binary and invalid JSON bodies are captured, not crashed on', async () => {
    assert.equal((await rawPost(inspector.url, Buffer.from([0xff, 0xfe, 0x00, 0x80]))).status, 200);
    assert.equal((await rawPost(inspector.url, Buffer.from('{"a":'))).status, 200);
  });

  test('a body over the 10 MiB limit is answered 413 (not a connection reset)', async () => {
    const answer = await rawPost(inspector.url, Buffer.alloc(11 * 1024 * 1024, 0x20));
    assert.equal(answer.status, 413, JSON.stringify(answer));
  });

  test('after a 413, the next request on the same keep-alive connection (as Herald/undici pools them) is answered', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal(
        (await rawPost(inspector.url, Buffer.alloc(11 * 1024 * 1024, 0x20), {}, agent)).status,
        413,
      );
      const started = Date.now();
      const next = await rawPost(inspector.url, Buffer.from('{}'), {}, agent);
      assert.deepEqual(next, { status: 200 }, `after ${Date.now() - started} ms`);
    } finally {
      agent.destroy();
    }
  });

  test('what is kept per request is bounded like the shown body (256 KiB), not the full parsed JSON', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(4 * 1024 * 1024) });
    const id = 'evt_big';
    const timestamp = Math.floor(Date.now() / 1000);
    const answer4 = await rawPost(inspector.url, Buffer.from(body), {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign({ id, timestamp, body }, secret),
    });
    assert.equal(answer4.status, 503, JSON.stringify(answer4));
    const last = inspector.captured.at(-1)!;
    assert.equal(
      last.signature.state,
      'valid',
      `${JSON.stringify(last.signature)} ${last.body.length} ${inspector.captured.length}`,
    );
    const kept = JSON.stringify(last).length;
    assert.ok(
      kept < 1024 * 1024,
      `one captured entry serializes to ${kept} bytes (body field is capped at 256 KiB, json is not)`,
    );
  });
});

test("herald listen: a non-JSON body cannot write terminal escape sequences to the developer's terminal", async () => {
  const received: string[] = [];
  const inspector = await startInspector(
    {
      secrets: [],
      status: { kind: 'fixed', status: 200 },
      onRequest: (entry) => received.push(formatRequest(entry, PLAIN)),
    },
    { port: 0, host: '127.0.0.1' },
  );
  try {
    // What any web page the developer visits can send to 127.0.0.1:9000 (a no-cors text/plain POST).
    await fetch(`${inspector.url}/x`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '\x1b]0;owned\x07\x1b[2J',
    });
    assert.ok(!received[0].includes('\x1b'), `printed: ${JSON.stringify(received[0].slice(-80))}`);
  } finally {
    await inspector.close();
  }
});

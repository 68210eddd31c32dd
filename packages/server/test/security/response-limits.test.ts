import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createHttpSender, RESPONSE_BODY_LIMIT } from '../../src/delivery/sender.ts';

/** Receivers that try to hold a worker: a huge answer and an answer that never ends. */
describe('response limits', () => {
  let server: Server;
  let base: string;
  const sender = createHttpSender();

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.url === '/huge') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('x'.repeat(1024 * 1024));
        return;
      }
      // Slow drip: headers at once, then one byte every 100 ms, forever.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 100);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await sender.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (path: string) => ({ url: `${base}${path}`, headers: {}, body: '{}' });

  test('keeps at most 4 KiB of a response body', async () => {
    const result = await sender.send(request('/huge'), 5000, 0);
    assert.equal(result.statusCode, 500);
    assert.equal(result.responseBody?.length, RESPONSE_BODY_LIMIT);
  });

  test('ends a slow-drip response at the timeout, as a timed-out attempt', async () => {
    const result = await sender.send(request('/drip'), 1000, 0);
    assert.equal(result.error, 'timeout');
    assert.equal(result.responseBody, null);
  });
});

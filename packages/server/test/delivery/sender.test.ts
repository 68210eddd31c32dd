import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { classify, createHttpSender } from '../../src/delivery/sender.ts';

const failure = (code: string, nested = false) => {
  const error = Object.assign(new Error('boom'), { code });
  return nested ? new TypeError('fetch failed', { cause: error }) : error;
};

test('network failures are classified by kind, also when wrapped', () => {
  assert.equal(classify(failure('ECONNREFUSED')), 'connection_refused');
  assert.equal(classify(failure('ENOTFOUND', true)), 'dns');
  assert.equal(classify(failure('EAI_AGAIN')), 'dns');
  assert.equal(classify(failure('ECONNRESET')), 'connection_reset');
  assert.equal(classify(failure('UND_ERR_SOCKET')), 'connection_reset');
  assert.equal(classify(failure('UND_ERR_HEADERS_TIMEOUT')), 'timeout');
  assert.equal(classify(failure('UND_ERR_CONNECT_TIMEOUT', true)), 'timeout');
  assert.equal(classify(failure('DEPTH_ZERO_SELF_SIGNED_CERT')), 'tls');
  assert.equal(classify(failure('ERR_TLS_CERT_ALTNAME_INVALID')), 'tls');
  assert.equal(classify(failure('CERT_HAS_EXPIRED')), 'tls');
  assert.equal(classify(failure('EHOSTUNREACH')), 'network');
  assert.equal(classify('weird'), 'network');
});

test('an origin gets as many sockets as the sender is given, however many paths share it', async () => {
  // Holds every request until 100 are open at once, then answers them all:
  // with a pool smaller than 100 the 100th never arrives.
  const held: ServerResponse[] = [];
  let open = 0;
  let maxOpen = 0;
  const server = createServer((req, res) => {
    req.resume();
    open++;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => open--);
    held.push(res);
    if (held.length === 100) for (const r of held.splice(0)) r.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sender = createHttpSender({ connectionsPerOrigin: 100 });
  try {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        sender.send({ url: `${origin}/hook/${i % 10}`, headers: {}, body: '{}' }, 20_000, 0),
      ),
    );
    assert.deepEqual(new Set(results.map((r) => r.statusCode)), new Set([200]));
    assert.equal(maxOpen, 100);
  } finally {
    await sender.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

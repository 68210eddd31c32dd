import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify, createHttpSender } from '../../src/delivery/sender.ts';
import { startGathering } from '../helpers/receiver.ts';

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
  // With a pool smaller than 100 the 100th request never arrives.
  const receiver = await startGathering(100);
  const sender = createHttpSender({ connectionsPerOrigin: 100 });
  try {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        sender.send(
          { url: `${receiver.origin}/hook/${i % 10}`, headers: {}, body: '{}' },
          20_000,
          0,
        ),
      ),
    );
    assert.deepEqual(new Set(results.map((r) => r.statusCode)), new Set([200]));
    assert.equal(receiver.maxOpen, 100);
  } finally {
    await sender.close();
    await receiver.close();
  }
});

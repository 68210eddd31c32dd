import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify } from '../../src/delivery/sender.ts';

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

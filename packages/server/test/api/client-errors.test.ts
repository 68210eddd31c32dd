import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { clientErrors } from '../../src/api/plugins/limits.ts';

// Node's and Fastify's own handlers destroy the socket after answering; a
// client that ignores the FIN (or a slowloris one, the 408 path) must not keep it.
for (const [label, request] of [
  ['malformed request (400)', 'NOT HTTP AT ALL\r\n\r\n'],
  ['stalled headers (408)', 'GET / HTTP/1.1\r\nHost: x\r\n'],
] as const) {
  test(`clientErrors closes the connection after answering: ${label}`, async () => {
    const server = createServer(
      { connectionsCheckingInterval: 100, headersTimeout: 300, requestTimeout: 600 },
      (_q, r) => r.end('ok'),
    );
    server.on('clientError', clientErrors(100));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => {});
    let answer = '';
    socket.on('data', (d) => (answer += d));
    await new Promise((r) => socket.on('connect', r));
    socket.write(request);
    // The answer comes within the server's timeouts above; then the server
    // must let go of the connection though this client never closes its side.
    const connections = () => new Promise<number>((r) => server.getConnections((_e, n) => r(n)));
    let open = await connections();
    for (let waited = 0; open > 0 && waited < 10_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      open = await connections();
    }
    socket.destroy();
    server.closeAllConnections();
    server.close();
    assert.match(answer, /^HTTP\/1.1 (400|408) /);
    assert.equal(open, 0, 'the server still holds the connection');
  });
}

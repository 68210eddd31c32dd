import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { expressWebhook, fastifyWebhook, generateSecret } from '../src/index.ts';
import { certificate, signedRequest } from './helpers.ts';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('framework helpers at the edges', () => {
  test("the README's express.raw recipe takes a 200 KiB payload (Herald sends up to 1 MiB)", async () => {
    const secret = generateSecret();
    const app = express();
    app.use(express.raw({ type: 'application/json', limit: '2mb' }));
    app.post('/hooks', expressWebhook({ secret, onEvent() {} }));
    const server = createServer(app);
    const url = await listen(server);
    try {
      const request = signedRequest(
        { ...certificate, ruleData: { ...certificate.ruleData, notes: 'x'.repeat(200 * 1024) } },
        { secret },
      );
      const response = await fetch(`${url}/hooks`, {
        method: 'POST',
        body: request.body,
        headers: request.headers,
      });
      assert.equal(response.status, 200, `got ${response.status}`);
    } finally {
      server.close();
    }
  });

  test('Fastify: content-type with charset', async () => {
    const secret = generateSecret();
    const app = Fastify();
    await app.register(fastifyWebhook({ path: '/hooks', secret, onEvent() {} }));
    const request = signedRequest(certificate, { secret });
    const answer = await app.inject({
      method: 'POST',
      url: '/hooks',
      payload: request.body,
      headers: { ...request.headers, 'content-type': 'application/json; charset=utf-8' },
    });
    assert.equal(answer.statusCode, 200, answer.body);
    await app.close();
  });

  test('node handler: a client gone mid-body does not crash a receiver whose onError throws', async () => {
    // Run the receiver in a child process: an unhandled rejection would kill it.
    const code = `
      import { createServer } from 'node:http';
      import { createNodeHandler } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)};
      const server = createServer(createNodeHandler({
        secret: 'whsec_' + Buffer.alloc(32, 1).toString('base64'),
        onEvent() {},
        onError(error, event) { console.log('onError', String(error), event.id); },
      }));
      server.listen(0, '127.0.0.1', () => console.log('PORT', server.address().port));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const port = await new Promise<number>((resolve) => {
      child.stdout.on('data', () => {
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
    });
    // Headers promise 1000 bytes; send 10 and reset the connection.
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    socket.write(
      'POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"a":"1234',
    );
    await new Promise((r) => setTimeout(r, 100));
    socket.resetAndDestroy();
    const exited = await Promise.race([
      new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c))),
      new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), 1500)),
    ]);
    child.kill();
    assert.equal(exited, 'alive', `receiver died with exit code ${exited}:\n${out}`);
  });
});

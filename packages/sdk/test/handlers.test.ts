import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createDeduper,
  createNodeHandler,
  expressWebhook,
  fastifyWebhook,
  generateSecret,
  type HeraldWebhookEvent,
  type WebhookEvent,
} from '../src/index.ts';
import { certificate, post, signedRequest } from './helpers.ts';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The same behaviour is expected of every framework helper. */
function behaves(
  name: string,
  start: (options: {
    secret: string;
    seen: WebhookEvent[];
    failNext: { value: boolean };
  }) => Promise<{ url: string; close(): Promise<void> }>,
) {
  describe(`${name} helper`, () => {
    const secret = generateSecret();
    const seen: WebhookEvent[] = [];
    const failNext = { value: false };
    let app: { url: string; close(): Promise<void> };
    before(async () => {
      app = await start({ secret, seen, failNext });
    });
    after(() => app.close());

    test('a signed request reaches the handler, typed and parsed; the answer is 200', async () => {
      const request = signedRequest(certificate, { secret, attempt: 2 });
      const answer = await post(app.url, request);
      assert.deepEqual(answer, { status: 200, body: { received: true } });
      const event = seen.at(-1)!;
      assert.equal(event.id, request.id);
      assert.equal(event.type, 'certificate_completed');
      assert.equal(event.attempt, 2);
      assert.deepEqual(event.payload, certificate);
    });

    test('a bad signature is 401 with its code, and the handler is not called', async () => {
      const count = seen.length;
      const wrong = await post(app.url, signedRequest(certificate, { secret: generateSecret() }));
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'no_matching_signature');
      const request = signedRequest(certificate, { secret });
      const missing = await post(app.url, {
        body: request.body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(missing.status, 401);
      assert.equal(missing.body.error, 'missing_header');
      const old = await post(app.url, signedRequest(certificate, { secret, timestamp: 1_000_000 }));
      assert.equal(old.body.error, 'timestamp_too_old');
      assert.equal(seen.length, count);
    });

    test('a signed body that is not JSON is 400', async () => {
      const answer = await post(app.url, signedRequest('{"truncated": ', { secret }));
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'invalid_payload');
    });

    test('a repeated webhook-id is answered 200 as a duplicate and handled once', async () => {
      const request = signedRequest(certificate, { secret });
      await post(app.url, request);
      const count = seen.length;
      const again = await post(
        app.url,
        signedRequest(certificate, { secret, id: request.id, attempt: 2 }),
      );
      assert.deepEqual(again, { status: 200, body: { received: true, duplicate: true } });
      assert.equal(seen.length, count);
    });

    test('a failing handler is 500, and the retry of that webhook is handled again', async () => {
      const request = signedRequest(certificate, { secret });
      failNext.value = true;
      const failed = await post(app.url, request);
      assert.equal(failed.status, 500);
      const count = seen.length;
      const retried = await post(app.url, signedRequest(certificate, { secret, id: request.id }));
      assert.equal(retried.status, 200);
      assert.equal(seen.length, count + 1);
    });
  });
}

const quiet = () => {};

behaves('node:http', async ({ secret, seen, failNext }) => {
  const server = createServer(
    createNodeHandler<HeraldWebhookEvent>({
      secret,
      deduper: createDeduper(),
      onError: quiet,
      onEvent(event) {
        if (failNext.value) {
          failNext.value = false;
          throw new Error('downstream unavailable');
        }
        seen.push(event);
      },
    }),
  );
  const url = await listen(server);
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
});

behaves('Express', async ({ secret, seen, failNext }) => {
  const app = express();
  app.post(
    '/webhooks',
    expressWebhook({
      secret,
      deduper: createDeduper(),
      onError: quiet,
      onEvent(event, { req }) {
        assert.equal(req.url, '/webhooks');
        if (failNext.value) {
          failNext.value = false;
          throw new Error('downstream unavailable');
        }
        seen.push(event);
      },
    }),
  );
  // The rest of the application may parse JSON as usual.
  app.use(express.json());
  const server = createServer(app);
  const url = await listen(server);
  return {
    url: `${url}/webhooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});

behaves('Fastify', async ({ secret, seen, failNext }) => {
  const app: FastifyInstance = Fastify();
  await app.register(
    fastifyWebhook({
      path: '/webhooks',
      secret,
      deduper: createDeduper(),
      onError: quiet,
      onEvent(event, { request }) {
        assert.equal(request.headers['webhook-id'], event.id);
        if (failNext.value) {
          failNext.value = false;
          throw new Error('downstream unavailable');
        }
        seen.push(event);
      },
    }),
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/webhooks`, close: () => app.close() };
});

describe('raw-body handling', () => {
  test('Express behind express.raw() verifies the buffered body', async () => {
    const secret = generateSecret();
    const app = express();
    app.use(express.raw({ type: 'application/json' }));
    app.post('/hooks', expressWebhook({ secret, onEvent() {} }));
    const server = createServer(app);
    const url = await listen(server);
    try {
      const answer = await post(`${url}/hooks`, signedRequest(certificate, { secret }));
      assert.equal(answer.status, 200);
    } finally {
      server.close();
    }
  });

  test('Express behind express.json() fails loudly: the signed bytes are gone', async () => {
    const secret = generateSecret();
    const app = express();
    app.use(express.json());
    const errors: unknown[] = [];
    app.post('/hooks', expressWebhook({ secret, onEvent() {} }));
    app.use(
      (
        error: unknown,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        errors.push(error);
        res.status(500).json({ error: 'misconfigured' });
      },
    );
    const server = createServer(app);
    const url = await listen(server);
    try {
      const answer = await post(`${url}/hooks`, signedRequest(certificate, { secret }));
      assert.equal(answer.status, 500);
      assert.match(String(errors[0]), /already parsed/);
    } finally {
      server.close();
    }
  });

  test('Fastify keeps its JSON parser for the rest of the application', async () => {
    const app = Fastify();
    await app.register(fastifyWebhook({ path: '/hooks', secret: generateSecret(), onEvent() {} }));
    app.post('/api', async (request) => ({ echo: request.body }));
    const answer = await app.inject({ method: 'POST', url: '/api', payload: { a: 1 } });
    assert.deepEqual(answer.json(), { echo: { a: 1 } });
    await app.close();
  });

  test('node:http refuses a body over maxBodyBytes with 413', async () => {
    const secret = generateSecret();
    const server = createServer(createNodeHandler({ secret, maxBodyBytes: 64, onEvent() {} }));
    const url = await listen(server);
    try {
      const answer = await post(url, signedRequest({ big: 'x'.repeat(200) }, { secret }));
      assert.equal(answer.status, 413);
    } finally {
      server.close();
    }
  });

  test('a delivery arriving while the same webhook is still handled gets 409, so it is retried', async () => {
    const secret = generateSecret();
    let finish!: () => void;
    let handled = 0;
    const server = createServer(
      createNodeHandler({
        secret,
        deduper: createDeduper(),
        async onEvent() {
          handled++;
          await new Promise<void>((resolve) => (finish = resolve));
        },
      }),
    );
    const url = await listen(server);
    try {
      const request = signedRequest(certificate, { secret });
      const first = post(url, request);
      while (handled === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const concurrent = await post(url, signedRequest(certificate, { secret, id: request.id }));
      assert.equal(concurrent.status, 409);
      assert.equal(concurrent.body.error, 'in_progress');
      finish();
      assert.equal((await first).status, 200);
      const later = await post(url, signedRequest(certificate, { secret, id: request.id }));
      assert.deepEqual(later.body, { received: true, duplicate: true });
      assert.equal(handled, 1);
    } finally {
      server.close();
    }
  });

  test('a receiver with a misconfigured secret answers 500, so Herald retries after the fix', async () => {
    const server = createServer(createNodeHandler({ secret: 'my-password', onEvent() {} }));
    const url = await listen(server);
    try {
      const answer = await post(url, signedRequest(certificate));
      assert.equal(answer.status, 500);
      assert.equal(answer.body.error, 'invalid_secret');
    } finally {
      server.close();
    }
  });
});

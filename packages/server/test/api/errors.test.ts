import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import pg from 'pg';
import { registerErrorHandler } from '../../src/api/plugins/errors.ts';
import { createEndpoint, createOrg, startHerald, type TestHerald } from '../helpers/herald.ts';
import { adminQuery, TEST_POSTGRES_URL } from '../helpers/postgres.ts';

let t: TestHerald;
let org: string;
before(async () => {
  t = await startHerald({ listen: false, env: { HERALD_MAX_PAYLOAD_BYTES: '4096' } });
  org = await createOrg(t);
});
after(() => t.close());

async function raw(
  method: string,
  url: string,
  payload: string | undefined,
  headers: Record<string, string>,
) {
  const response = await t.herald.api.inject({ method: method as 'POST', url, payload, headers });
  return { status: response.statusCode, body: response.json() };
}

describe('authentication', () => {
  test('a missing token is 401', async () => {
    const { status, body } = await raw('GET', '/v1/orgs', undefined, {});
    assert.equal(status, 401);
    assert.equal(body.error.code, 'WHK_ERR_UNAUTHORIZED');
  });
  test('a wrong token is 401', async () => {
    const { status, body } = await raw('GET', '/v1/orgs', undefined, {
      authorization: 'Bearer nope',
    });
    assert.equal(status, 401);
    assert.equal(body.error.code, 'WHK_ERR_UNAUTHORIZED');
  });
  test('a non-bearer scheme is 401', async () => {
    const { status } = await raw('GET', '/v1/orgs', undefined, { authorization: 'Basic YTpi' });
    assert.equal(status, 401);
  });
  test('health needs no token', async () => {
    assert.equal((await t.herald.api.inject({ url: '/healthz' })).statusCode, 200);
  });
});

describe('validation names the field at fault', () => {
  const cases: [string, object, string][] = [
    ['missing name', { url: 'https://x.example.com' }, 'name'],
    ['url not http(s)', { name: 'n', url: 'ftp://x.example.com' }, 'url'],
    ['url not a URL', { name: 'n', url: 'not a url' }, 'url'],
    ['credentials in the url', { name: 'n', url: 'https://u:p@x.example.com' }, 'url'],
    ['timeout too short', { name: 'n', url: 'https://x.example.com', timeoutMs: 10 }, 'timeoutMs'],
    [
      'timeout too long',
      { name: 'n', url: 'https://x.example.com', timeoutMs: 60000 },
      'timeoutMs',
    ],
    [
      'concurrency zero',
      { name: 'n', url: 'https://x.example.com', maxConcurrency: 0 },
      'maxConcurrency',
    ],
    [
      'unknown auth type',
      { name: 'n', url: 'https://x.example.com', auth: { type: 'oauth' } },
      'auth',
    ],
    [
      'bearer without token',
      { name: 'n', url: 'https://x.example.com', auth: { type: 'bearer' } },
      'auth.token',
    ],
    [
      'bad header name',
      { name: 'n', url: 'https://x.example.com', headers: { 'bad header': 'v' } },
      'headers.bad header',
    ],
    [
      'reserved header',
      { name: 'n', url: 'https://x.example.com', headers: { 'Webhook-Signature': 'v' } },
      'headers.Webhook-Signature',
    ],
    [
      'unknown retry policy',
      { name: 'n', url: 'https://x.example.com', retryPolicy: 'forever' },
      'retryPolicy',
    ],
    ['unknown field', { name: 'n', url: 'https://x.example.com', colour: 'blue' }, 'colour'],
  ];
  for (const [name, body, field] of cases) {
    test(`endpoint: ${name} → 400 on ${field}`, async () => {
      const response = await t.call('POST', `/v1/orgs/${org}/endpoints`, body);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body.error.code, 'WHK_ERR_VALIDATION');
      assert.equal(response.body.error.field, field);
      assert.match(response.body.error.message, new RegExp(field.split('.')[0]));
    });
  }

  test('event: missing type and non-object payload', async () => {
    const noType = await t.call('POST', `/v1/orgs/${org}/events`, { payload: {} });
    assert.equal(noType.status, 400);
    assert.equal(noType.body.error.field, 'type');
    const scalar = await t.call('POST', `/v1/orgs/${org}/events`, { type: 'a', payload: 42 });
    assert.equal(scalar.status, 400);
    assert.equal(scalar.body.error.field, 'payload');
  });

  test('an empty patch is refused', async () => {
    const endpoint = await createEndpoint(t, org, { url: 'https://x.example.com' });
    const response = await t.call('PATCH', `/v1/orgs/${org}/endpoints/${endpoint.id}`, {});
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'WHK_ERR_VALIDATION');
  });

  test('a bad query parameter is 400', async () => {
    const response = await t.call('GET', `/v1/orgs/${org}/deliveries?status=lost`);
    assert.equal(response.status, 400);
    assert.equal(response.body.error.field, 'status');
  });
});

describe('unknown ids are 404', () => {
  for (const path of [
    '/v1/orgs/org_nope',
    '/v1/orgs/org_nope/endpoints',
    '/v1/orgs/{org}/endpoints/ep_nope',
    '/v1/orgs/{org}/endpoints/ep_nope/stats',
    '/v1/orgs/{org}/events/evt_nope',
    '/v1/orgs/{org}/deliveries/dlv_nope',
  ]) {
    test(`GET ${path}`, async () => {
      const response = await t.call('GET', path.replace('{org}', org));
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'WHK_ERR_NOT_FOUND');
    });
  }
  test('retrying an unknown delivery', async () => {
    const response = await t.call('POST', `/v1/orgs/${org}/deliveries/dlv_nope/retry`);
    assert.equal(response.status, 404);
  });
});

describe('bodies', () => {
  const auth = { authorization: 'Bearer test-admin-token-0123456789' };
  test('over the size limit is 413', async () => {
    const payload = JSON.stringify({ type: 'big', payload: { blob: 'x'.repeat(8192) } });
    const { status, body } = await raw('POST', `/v1/orgs/${org}/events`, payload, {
      ...auth,
      'content-type': 'application/json',
    });
    assert.equal(status, 413);
    assert.equal(body.error.code, 'WHK_ERR_PAYLOAD_TOO_LARGE');
  });
  test('a non-JSON content type is 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const { status, body } = await raw('POST', `/v1/orgs/${org}/events`, 'a=b', {
        ...auth,
        'content-type': type,
      });
      assert.equal(status, 415, type);
      assert.equal(body.error.code, 'WHK_ERR_UNSUPPORTED_MEDIA_TYPE');
    }
  });
  test('malformed JSON is 400', async () => {
    const { status, body } = await raw('POST', `/v1/orgs/${org}/events`, '{"type": "a", ', {
      ...auth,
      'content-type': 'application/json',
    });
    assert.equal(status, 400);
    assert.equal(body.error.code, 'WHK_ERR_INVALID_JSON');
  });
  test('an unknown route is a JSON 404', async () => {
    const { status, body } = await raw('GET', '/v2/nothing', undefined, auth);
    assert.equal(status, 404);
    assert.equal(body.error.code, 'WHK_ERR_NOT_FOUND');
  });
});

// A real PostgreSQL refusal, not a hand-made object: the backend of a client
// is terminated while its query runs, as in a restart or a failover.
describe('the database going away', () => {
  test('a request it fails is a 503 with Retry-After, not a 500', async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    client.on('error', () => {});
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const sleeping = client.query('SELECT pg_sleep(30)').then(
      () => assert.fail('the query was not cut'),
      (error: unknown) => error,
    );
    await adminQuery(`SELECT pg_terminate_backend(${rows[0]!.pid})`);
    const terminated = await sleeping;
    await client.end().catch(() => {});

    const app = Fastify();
    registerErrorHandler(app);
    app.get('/fails', async () => {
      throw terminated;
    });
    const answer = await app.inject({ method: 'GET', url: '/fails' });
    assert.equal(answer.statusCode, 503, answer.body);
    assert.equal(answer.headers['retry-after'], '1');
    assert.equal(answer.json().error.code, 'WHK_ERR_NOT_READY');
    await app.close();
  });
});

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  ADMIN_TOKEN,
  createEndpoint,
  createOrg,
  startHerald,
  type TestHerald,
} from '../helpers/herald.ts';

/**
 * Hostile input at every route the app serves: whatever arrives, the answer
 * is never a 5xx, the process keeps answering, and every refusal carries a
 * stable WHK_ERR_* code.
 */

const CODE = /^WHK_ERR_[A-Z_]+$/;

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const huge = 'x'.repeat(200_000);

/** Raw bodies with the content type they arrive under. */
const HOSTILE_BODIES: { payload: string | Buffer; type?: string }[] = [
  { payload: '{', type: 'application/json' },
  { payload: '', type: 'application/json' },
  { payload: 'null', type: 'application/json' },
  { payload: '"just a string"', type: 'application/json' },
  { payload: '12345', type: 'application/json' },
  { payload: '[]', type: 'application/json' },
  {
    payload: '{"name":123,"url":[],"type":{},"payload":"x","since":false}',
    type: 'application/json',
  },
  { payload: JSON.stringify({ name: huge, url: huge, type: huge }), type: 'application/json' },
  { payload: deep(5000), type: 'application/json' },
  { payload: `{"a":${deep(100)}}`, type: 'application/json' },
  { payload: '{"__proto__":{"polluted":true},"name":"x"}', type: 'application/json' },
  { payload: '{"constructor":{"prototype":{"polluted":true}}}', type: 'application/json' },
  {
    payload: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
    type: 'application/json',
  },
  { payload: Buffer.from([0xff, 0xfe, 0xfd]), type: 'application/json' },
  { payload: 'name=x&url=y', type: 'application/x-www-form-urlencoded' },
  { payload: 'plain text', type: 'text/plain' },
  {
    payload: '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--b--',
    type: 'multipart/form-data; boundary=b',
  },
  { payload: '{"name":"x"}', type: 'application/json; charset=latin1' },
  { payload: '{"name":"x"}', type: 'application/jsonx' },
  { payload: '{"name":"x"}' },
  { payload: 'x'.repeat(2 * 1024 * 1024), type: 'application/json' },
];

const HOSTILE_QUERIES = [
  '?limit=-1',
  '?limit=abc',
  '?limit=1e999',
  `?cursor=${'x'.repeat(1000)}`,
  '?status=nope&endpoint[]=a&event=%00',
  '?%zz=%E0%A4%A',
  '?limit=1&limit=2&__proto__[x]=1',
  '?since=not-a-date&type=%F0%9F%92%A9',
];

const HOSTILE_IDS = [
  'x'.repeat(500),
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '%E0%A4%A',
  '%F0%9F%92%A9',
  'org_%27%20OR%201%3D1',
  '__proto__',
  'constructor',
];

describe('fuzzing every route', () => {
  let t: TestHerald;
  const real: Record<string, string> = {};
  let checked = 0;

  before(async () => {
    t = await startHerald({ listen: false });
    real.org = await createOrg(t);
    real.ep = (await createEndpoint(t, real.org, { url: 'https://hooks.example.com/' })).id;
    real.evt = (
      await t.call('POST', `/v1/orgs/${real.org}/events`, { type: 'x', payload: {} })
    ).body.id;
    real.dlv = (await t.call('GET', `/v1/orgs/${real.org}/deliveries`)).body.data[0]?.id ?? 'dlv_x';
    real.key = (await t.call('POST', `/v1/orgs/${real.org}/api-keys`, {})).body.id;
  });
  after(() => t.close());

  async function expectStable(
    method: string,
    url: string,
    body?: { payload: string | Buffer; type?: string },
  ) {
    const response = await t.herald.api.inject({
      method: method as 'GET',
      url,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body?.type ? { 'content-type': body.type } : {}),
      },
      ...(body ? { payload: body.payload } : {}),
    });
    checked++;
    const where = `${method} ${url.slice(0, 120)} ${String(body?.payload ?? '').slice(0, 60)}`;
    assert.ok(
      response.statusCode < 500,
      `${where} answered ${response.statusCode}: ${response.body.slice(0, 300)}`,
    );
    if (response.statusCode >= 400) {
      let code: unknown;
      try {
        code = response.json().error?.code;
      } catch {
        code = undefined;
      }
      assert.match(
        String(code),
        CODE,
        `${where} answered ${response.statusCode} without a WHK code: ${response.body.slice(0, 200)}`,
      );
    }
  }

  const routes = (t: TestHerald) =>
    t.herald.api.heraldRoutes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
  const fill = (url: string, ids: (name: string) => string) =>
    url.replace(/:(\w+)/g, (_, name: string) => ids(name)).replace(/\*$/, 'x');

  test('hostile bodies, query strings and ids: no 5xx, a stable code each', async () => {
    const list = routes(t);
    assert.ok(list.length >= 20, `only ${list.length} routes found`);
    // Deletions last, so the real ids stay valid for the other routes.
    const ordered = [...list].sort(
      (a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
    );
    for (const route of ordered) {
      const withBody =
        route.method === 'POST' || route.method === 'PATCH' || route.method === 'PUT';
      const urls = [
        fill(route.url, (name) => real[name] ?? 'x'),
        ...HOSTILE_IDS.map((id) => fill(route.url, () => id)),
      ];
      for (const url of urls) await expectStable(route.method, url);
      const base = urls[0];
      for (const query of HOSTILE_QUERIES) await expectStable(route.method, `${base}${query}`);
      if (withBody) for (const body of HOSTILE_BODIES) await expectStable(route.method, base, body);
    }
  });

  test('random JSON bodies (fast-check) at every route that takes one', async () => {
    const list = routes(t).filter((r) => r.method === 'POST' || r.method === 'PATCH');
    for (const route of list) {
      const url = fill(route.url, (name) => real[name] ?? 'x');
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
          await expectStable(route.method, url, {
            payload: JSON.stringify(value) ?? 'null',
            type: 'application/json',
          });
        }),
        { numRuns: 25, seed: 7 },
      );
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
          await expectStable(route.method, url, { payload: text, type: 'application/json' });
        }),
        { numRuns: 15, seed: 11 },
      );
    }
  });

  test('the process survived, nothing was polluted, and the fuzz actually ran', async () => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    const health = await t.herald.api.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.ok(checked > 500, `only ${checked} requests were made`);
  });
});

describe('input limits', () => {
  test('deep JSON, too many headers and oversized bodies each get their own code', async (ctx) => {
    const t = await startHerald({ listen: false, env: { HERALD_MAX_JSON_DEPTH: '8' } });
    ctx.after(() => t.close());
    const orgId = await createOrg(t);
    const nested = { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } };
    const deepEvent = await t.call('POST', `/v1/orgs/${orgId}/events`, {
      type: 'x',
      payload: nested,
    });
    assert.equal(deepEvent.status, 400);
    assert.equal(deepEvent.body.error.code, 'WHK_ERR_JSON_TOO_DEEP');
    const okEvent = await t.call('POST', `/v1/orgs/${orgId}/events`, {
      type: 'x',
      payload: { a: { b: 1 } },
    });
    assert.equal(okEvent.status, 202);

    const headers: Record<string, string> = {};
    for (let i = 0; i < 150; i++) headers[`x-h-${i}`] = 'v';
    const crowded = await t.call('GET', `/v1/orgs/${orgId}`, undefined, headers);
    assert.equal(crowded.status, 431);
    assert.equal(crowded.body.error.code, 'WHK_ERR_TOO_MANY_HEADERS');

    const big = await t.call('POST', `/v1/orgs/${orgId}/events`, {
      type: 'x',
      payload: { blob: 'x'.repeat(1024 * 1024 + 1) },
    });
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, 'WHK_ERR_PAYLOAD_TOO_LARGE');

    const overlong = await t.call('GET', `/v1/orgs/${'a'.repeat(201)}`);
    assert.equal(overlong.status, 414);
    assert.equal(overlong.body.error.code, 'WHK_ERR_URI_TOO_LONG');
    // An event type's name may have 200 characters: the router takes it.
    const longType = await t.call('GET', `/v1/event-types/${'t'.repeat(200)}`);
    assert.equal(longType.status, 404);
    assert.equal(longType.body.error.code, 'WHK_ERR_NOT_FOUND');
  });

  // Refused by Node's parser before Fastify sees them: still Herald's shape.
  test('too many headers, headers over the size limit and malformed HTTP get a code too', async (ctx) => {
    const t = await startHerald();
    ctx.after(() => t.close());
    const { port } = new URL(t.url);
    const cases = [
      {
        request: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'v'.repeat(20_000)}\r\n\r\n`,
        status: 431,
        code: 'WHK_ERR_TOO_MANY_HEADERS',
      },
      {
        request: `GET /healthz HTTP/1.1\r\n${'X-H: v\r\n'.repeat(150)}\r\n`,
        status: 431,
        code: 'WHK_ERR_TOO_MANY_HEADERS',
      },
      { request: 'NOT HTTP AT ALL\r\n\r\n', status: 400, code: 'WHK_ERR_BAD_REQUEST' },
    ];
    for (const { request, status, code } of cases) {
      const answer = await rawExchange(Number(port), request);
      const [head, body] = answer.split('\r\n\r\n');
      assert.match(head!, new RegExp(`^HTTP/1.1 ${status} `), answer.slice(0, 200));
      assert.equal(JSON.parse(body!).error.code, code);
    }
  });
});

/** Sends `request` as is on a new connection and reads the answer until the server closes it. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

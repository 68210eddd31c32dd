import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createEndpoint, createOrg, startHerald } from '../helpers/herald.ts';
import { createTestSchema } from '../helpers/postgres.ts';

// Input the schemas let through but a database cannot take: the same clear
// 400 on both stores, never a 500 on one and a silent answer on the other.
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`odd input, ${dialect}`, async () => {
    const schema = dialect === 'postgres' ? await createTestSchema('oddinput') : undefined;
    const t = await startHerald({
      listen: false,
      env: schema ? { HERALD_DATABASE_URL: schema.url } : {},
    });
    after(async () => {
      await t.close();
      await schema?.drop();
    });
    const org = await createOrg(t);
    const endpoint = await createEndpoint(t, org, { url: 'http://127.0.0.1:9/hooks' });
    const refused = async (method: string, url: string, body?: unknown) => {
      const { status, body: answer } = await t.call(method, url, body);
      assert.equal(status, 400, `${method} ${url}: ${JSON.stringify(answer)}`);
      assert.equal(answer.error.code, 'WHK_ERR_VALIDATION');
    };

    test('U+0000 anywhere but in a payload is a 400', async () => {
      await refused('POST', `/v1/orgs/${org}/events`, {
        type: 'lesson.completed',
        payload: {},
        idempotencyKey: 'a\u0000b',
      });
      await refused('GET', `/v1/orgs/${org}/events?cursor=a%00b`);
      await refused('GET', `/v1/orgs/${org}/deliveries?endpoint=ep%00x`);
      await refused('POST', '/v1/orgs', { name: 'Nul\u0000Co' });
      await refused('PATCH', `/v1/orgs/${org}/endpoints/${endpoint.id}`, { name: 'a\u0000' });
    });

    test('U+0000 inside a payload is kept', async () => {
      const payload = { note: 'a\u0000b' };
      const { status, body } = await t.call('POST', `/v1/orgs/${org}/events`, {
        type: 'lesson.completed',
        payload,
      });
      assert.equal(status, 202, JSON.stringify(body));
      const stored = await t.call('GET', `/v1/orgs/${org}/events/${body.id}`);
      assert.deepEqual(stored.body.payload, payload);
    });

    test('a date-time the format accepts but Date.parse cannot read is a 400', async () => {
      await refused('GET', `/v1/orgs/${org}/deliveries?since=2016-12-31T23:59:60Z`);
      await refused('GET', `/v1/orgs/${org}/deliveries?until=2026-01-01T10:00:00%2B01`);
      await refused('POST', `/v1/orgs/${org}/endpoints/${endpoint.id}/recover`, {
        since: '2016-12-31T23:59:60Z',
      });
    });

    test('an empty cursor is a 400, not an empty page', async () => {
      await refused('GET', `/v1/orgs/${org}/events?cursor=`);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { endpointDisabledPayload, HEALTHY } from '../../src/domain/endpoint-health.ts';
import { createOrg, startHerald, type TestHerald } from '../helpers/herald.ts';
import { builtInExample } from '../helpers/seeds.ts';

const BUILT_INS = [
  'assessment.completed',
  'certificate.created',
  'certificate_completed',
  'certificate_expired',
  'certificate_expiring',
  'endpoint.disabled',
  'webhook.test',
];

let t: TestHerald;
let strict: string;
before(async () => {
  t = await startHerald({ listen: false });
  strict = await createOrg(t, 'Strict Co', {});
});
after(() => t.close());

const publish = (org: string, type: string, payload: unknown) =>
  t.call('POST', `/v1/orgs/${org}/events`, { type, payload });

test('the catalog lists the built-in types with schemas and examples their schemas accept', async () => {
  const { status, body } = await t.call('GET', '/v1/event-types');
  assert.equal(status, 200);
  const names = body.data.map((type: { name: string }) => type.name);
  for (const name of BUILT_INS) assert.ok(names.includes(name), `${name} is built in`);
  for (const type of body.data.filter((type: { builtIn: boolean }) => type.builtIn)) {
    assert.equal(type.schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(type.example, `${type.name} has an example`);
    const published = await publish(strict, type.name, type.example);
    assert.equal(published.status, 202, `${type.name}: ${JSON.stringify(published.body)}`);
  }
  const one = await t.call('GET', '/v1/event-types/certificate_completed');
  assert.deepEqual(one.body.example, builtInExample('certificate_completed'));
  assert.equal(one.body.schema.required.at(-1), 'updatedAt');
  assert.equal(one.body.schema.properties.__v.type, 'integer', '__v optional, typed when present');
  assert.equal((await t.call('GET', '/v1/event-types/nope.nothing')).status, 404);
});

test('the endpoint.disabled schema accepts what Herald publishes when it disables an endpoint', async () => {
  const endpoint = { id: 'ep_1', orgId: strict, name: 'HR', url: 'https://hr.example/hooks' };
  const failing = { ...HEALTHY, consecutiveFailures: 57, failingSince: Date.UTC(2026, 0, 1) };
  const at = Date.UTC(2026, 0, 6);
  for (const payload of [
    endpointDisabledPayload(endpoint, 'gone', at, HEALTHY, 0),
    endpointDisabledPayload(endpoint, 'failing_too_long', at, failing, 7),
  ]) {
    const published = await publish(strict, 'endpoint.disabled', payload);
    assert.equal(published.status, 202, JSON.stringify(published.body));
  }
  const type = await t.call('GET', '/v1/event-types/endpoint.disabled');
  assert.deepEqual(Object.keys(type.body.example), type.body.schema.required);
});

test('a payload that breaks the schema is a 422 listing every failing JSON pointer', async () => {
  const payload = builtInExample('certificate_completed');
  payload._id = 'not-an-object-id';
  payload.__v = -1;
  payload.ruleData.validityDurationDays = 'forever';
  payload['extra/field'] = true;
  const { status, body } = await publish(strict, 'certificate_completed', payload);
  assert.equal(status, 422);
  assert.equal(body.error.code, 'WHK_ERR_SCHEMA');
  const pointers = body.error.details.map((d: { pointer: string }) => d.pointer).sort();
  assert.deepEqual(pointers, [
    '/__v',
    '/_id',
    '/extra~1field',
    '/ruleData/validityDurationDays',
    '/ruleData/validityDurationDays',
    '/ruleData/validityDurationDays',
  ]);
  assert.match(body.error.message, /\/_id must match pattern/);
  assert.match(body.error.message, /\/__v must be >= 0/);
  // Nothing was stored.
  const events = await t.call('GET', `/v1/orgs/${strict}/events?type=certificate_completed`);
  assert.ok(events.body.data.every((e: any) => e.payload._id !== 'not-an-object-id'));
});

test("a BadgeUser without the version key (like the seed's own curl test body) is accepted and kept as sent", async () => {
  const { __v, ...withoutVersionKey } = builtInExample('certificate_completed');
  const { status, body } = await publish(strict, 'certificate_completed', withoutVersionKey);
  assert.equal(status, 202);
  const stored = await t.call('GET', `/v1/orgs/${strict}/events/${body.id}`);
  assert.deepEqual(stored.body.payload, withoutVersionKey);
});

test('an unknown type is a 400 unless the organization allows free-form types', async () => {
  const refused = await publish(strict, 'course.enrolled', { learner: 'a' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, 'WHK_ERR_UNKNOWN_EVENT_TYPE');
  assert.equal(refused.body.error.field, 'type');

  const org = await t.call('GET', `/v1/orgs/${strict}`);
  assert.deepEqual(org.body.settings, { allowFreeFormTypes: false });
  const patched = await t.call('PATCH', `/v1/orgs/${strict}`, {
    settings: { allowFreeFormTypes: true },
  });
  assert.equal(patched.status, 200);
  assert.deepEqual(patched.body.settings, { allowFreeFormTypes: true });
  assert.equal(patched.body.name, 'Strict Co');
  assert.equal((await publish(strict, 'course.enrolled', { learner: 'a' })).status, 202);
  // Known types are validated all the same.
  assert.equal((await publish(strict, 'certificate_completed', { learner: 'a' })).status, 422);
  // Renaming leaves the settings alone.
  const renamed = await t.call('PATCH', `/v1/orgs/${strict}`, { name: 'Strict again' });
  assert.deepEqual(renamed.body.settings, { allowFreeFormTypes: true });
  await t.call('PATCH', `/v1/orgs/${strict}`, { settings: { allowFreeFormTypes: false } });
  assert.equal((await publish(strict, 'course.enrolled', { learner: 'a' })).status, 400);

  const open = await t.call('POST', '/v1/orgs', {
    name: 'Open Co',
    settings: { allowFreeFormTypes: true },
  });
  assert.equal(open.status, 201);
  assert.deepEqual(open.body.settings, { allowFreeFormTypes: true });
});

test('the admin registers a type; an edited schema is recompiled for the next payload', async () => {
  const created = await t.call('POST', '/v1/event-types', {
    name: 'lesson.completed',
    description: 'A learner finished a lesson',
    schema: {
      type: 'object',
      required: ['learnerId'],
      properties: { learnerId: { type: 'string' } },
    },
    example: { learnerId: 'u1' },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.builtIn, false);
  assert.equal(created.body.version, 1);
  assert.equal((await t.call('POST', '/v1/event-types', { name: 'lesson.completed' })).status, 409);

  assert.equal((await publish(strict, 'lesson.completed', { learnerId: 'u1' })).status, 202);
  const missing = await publish(strict, 'lesson.completed', {});
  assert.equal(missing.status, 422);
  assert.deepEqual(missing.body.error.details, [{ pointer: '/learnerId', message: 'is required' }]);

  const edited = await t.call('PATCH', '/v1/event-types/lesson.completed', {
    schema: {
      type: 'object',
      required: ['learnerId', 'lessonId'],
      properties: { learnerId: { type: 'string' }, lessonId: { type: 'string' } },
    },
    example: { learnerId: 'u1', lessonId: 'l1' },
    deprecated: true,
  });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.version, 2);
  assert.equal(edited.body.deprecated, true);
  assert.equal(edited.body.description, 'A learner finished a lesson');
  const now = await publish(strict, 'lesson.completed', { learnerId: 'u1' });
  assert.equal(now.status, 422);
  assert.deepEqual(
    now.body.error.details.map((d: { pointer: string }) => d.pointer),
    ['/lessonId'],
  );
  // Deprecated types are still accepted: receivers are warned by the catalog, not broken.
  assert.equal(
    (await publish(strict, 'lesson.completed', { learnerId: 'u1', lessonId: 'l1' })).status,
    202,
  );
  const deprecated = await t.call('GET', '/v1/event-types?deprecated=true');
  assert.deepEqual(
    deprecated.body.data.map((type: { name: string }) => type.name),
    ['lesson.completed'],
  );

  // Removing the schema accepts any object.
  await t.call('PATCH', '/v1/event-types/lesson.completed', { schema: null });
  assert.equal((await publish(strict, 'lesson.completed', { anything: 1 })).status, 202);
});

test('a schema that does not compile, or an example it rejects, is refused', async () => {
  const bad = await t.call('POST', '/v1/event-types', {
    name: 'bad.schema',
    schema: { type: 'object', properties: { a: { type: 'no-such-type' } } },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'schema');
  const mismatch = await t.call('POST', '/v1/event-types', {
    name: 'bad.example',
    schema: { type: 'object', required: ['a'] },
    example: { b: 1 },
  });
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.body.error.field, 'example');
  const patch = await t.call('PATCH', '/v1/event-types/certificate_completed', {
    example: { nope: true },
  });
  assert.equal(patch.status, 400);
  assert.equal((await t.call('GET', '/v1/event-types/bad.schema')).status, 404);
});

test('an organization key reads the catalog but editing it is for the admin only', async () => {
  const key = (await t.call('POST', `/v1/orgs/${strict}/api-keys`, {})).body.key;
  const asOrg = { authorization: `Bearer ${key}` };
  assert.equal((await t.call('GET', '/v1/event-types', undefined, asOrg)).status, 200);
  for (const [method, path, body] of [
    ['POST', '/v1/event-types', { name: 'org.made' }],
    ['PATCH', '/v1/event-types/certificate_completed', { description: 'mine' }],
  ] as const) {
    const { status, body: answer } = await t.call(method, path, body, asOrg);
    assert.equal(status, 403, `${method} ${path}`);
    assert.equal(answer.error.code, 'WHK_ERR_FORBIDDEN');
  }
});

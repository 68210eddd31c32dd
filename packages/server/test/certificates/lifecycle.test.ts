import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import {
  createEndpoint,
  createOrg,
  eventually,
  startHerald,
  type TestHerald,
  tempDir,
} from '../helpers/herald.ts';
import { type ReceivedRequest, type Receiver, startReceiver } from '../helpers/receiver.ts';
import { builtInExample } from '../helpers/seeds.ts';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const AWARDED_AT = Date.UTC(2026, 0, 15, 9, 30);
const EXPIRES_AT = AWARDED_AT + 365 * DAY;
const LESSONS = [
  '507f191e810c19729de860ed',
  '507f191e810c19729de860ee',
  '507f191e810c19729de860ef',
];

/** The JSON type of every key, recursively: what a receiver's parser relies on. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value))
    return ['array', ...new Set(value.map((v) => JSON.stringify(shape(v))))];
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

const clock = new ManualClock(AWARDED_AT);
const dbDir = tempDir('herald-certs-');
const env = {
  HERALD_DATABASE_URL: `sqlite:${join(dbDir, 'herald.db')}`,
  HERALD_SCHEDULER_INTERVAL_MS: '0',
};
let t: TestHerald;
let receiver: Receiver;
let org: string;
let certificate: any;

const received = (path: string, type?: string) =>
  receiver.requests.filter(
    (r) => r.path === path && (type === undefined || r.headers['webhook-event-type'] === type),
  );

before(async () => {
  receiver = await startReceiver();
  t = await startHerald({ clock, env, worker: { pollIntervalMs: 20 } });
  org = await createOrg(t, 'Beedeez customer', {});
  const types = ['certificate_completed', 'certificate_expiring', 'certificate_expired'];
  await createEndpoint(t, org, { url: `${receiver.url}/raw`, eventTypes: types });
  await createEndpoint(t, org, {
    url: `${receiver.url}/envelope`,
    eventTypes: ['certificate.created'],
    payloadFormat: 'envelope',
  });
  await createEndpoint(t, org, {
    url: `${receiver.url}/standard`,
    eventTypes: ['certificate_completed'],
    payloadFormat: 'standard',
  });
  const badge = await t.call('POST', `/v1/orgs/${org}/badges`, {
    name: 'Safety Training Certificate',
    description: 'Complete all safety training modules',
    validityDurationDays: 365,
    lessonIds: LESSONS,
  });
  const awarded = await t.call('POST', `/v1/orgs/${org}/certificates`, {
    userId: '507f191e810c19729de860ea',
    badgeId: badge.body.id,
    lessonActiveIds: LESSONS,
    awardedBy: 'completion',
    user: { name: 'Ada Lovelace', email: 'ada@example.com' },
  });
  assert.equal(awarded.status, 201);
  certificate = awarded.body;
});
after(async () => {
  await t.close();
  await receiver.close();
  rmSync(dbDir, { recursive: true, force: true });
});

test('a raw endpoint receives the BadgeUser document, key for key and type for type as the seed', async () => {
  await receiver.waitFor(3);
  const [request] = received('/raw');
  assert.equal(request.headers['webhook-event-type'], 'certificate_completed');
  const body = JSON.parse(request.body);
  const seed = builtInExample('certificate_completed');
  assert.deepEqual(Object.keys(body), Object.keys(seed), 'same keys in the same order');
  assert.deepEqual(Object.keys(body.ruleData), Object.keys(seed.ruleData));
  assert.deepEqual(shape(body), shape(seed));
  assert.deepEqual(body, certificate);
  assert.equal(body.expires, new Date(EXPIRES_AT).toISOString());
  assert.equal(body.__v, 0);
});

test('an envelope endpoint receives the Seably shape, a standard endpoint the standard shape', async () => {
  const [envelope] = received('/envelope');
  assert.equal(envelope.headers['webhook-event-type'], 'certificate.created');
  const wrapped = JSON.parse(envelope.body);
  assert.deepEqual(Object.keys(wrapped), ['event', 'payload']);
  assert.equal(wrapped.event, 'certificate.created');
  assert.deepEqual(Object.keys(wrapped.payload), ['data']);
  const data = wrapped.payload.data;
  assert.equal(data.type, 'certificate');
  assert.equal(data.id, 'SB-00000001');
  assert.equal(data.badgeUserId, certificate._id);
  assert.equal(data.user.id, certificate._userId);
  assert.equal(data.course.id, certificate._badgeId);
  assert.equal(data.issuedAt, certificate.creationDate);
  assert.equal(data.expiresAt, certificate.expires);
  const seably = builtInExample('certificate.created');
  assert.deepEqual(Object.keys(data), Object.keys(seably));
  assert.deepEqual(shape(data), shape(seably));

  const [standard] = received('/standard');
  const body = JSON.parse(standard.body);
  assert.deepEqual(Object.keys(body), ['type', 'timestamp', 'data']);
  assert.equal(body.type, 'certificate_completed');
  assert.equal(body.timestamp, new Date(AWARDED_AT).toISOString());
  assert.deepEqual(body.data, certificate);
});

async function tickTimes(herald: TestHerald, n: number) {
  for (let i = 0; i < n; i++) await herald.herald.scheduler.tick();
}

test('past the reminder point certificate_expiring goes out once; past expiry certificate_expired once, across a restart and concurrent ticks', async () => {
  // A minute before the reminder point (30 days before expiry): nothing.
  clock.set(EXPIRES_AT - 30 * DAY - MINUTE);
  await tickTimes(t, 3);
  assert.equal(received('/raw', 'certificate_expiring').length, 0);

  clock.set(EXPIRES_AT - 30 * DAY + MINUTE);
  const remindedAt = clock.now();
  await tickTimes(t, 3);
  await receiver.waitFor(4);
  await tickTimes(t, 2);
  const [reminder] = received('/raw', 'certificate_expiring');
  const reminded = JSON.parse(reminder.body);
  assert.deepEqual(shape(reminded), shape(certificate));
  assert.equal(reminded._id, certificate._id);
  assert.equal(reminded.expiryReminderSent, true);
  assert.equal(reminded.__v, 0, 'Mongoose bumps __v for array changes only');
  assert.equal(reminded.updatedAt, new Date(remindedAt).toISOString());
  assert.equal(reminded.createdAt, certificate.createdAt);
  const stored = await t.call('GET', `/v1/orgs/${org}/certificates/${certificate._id}`);
  assert.deepEqual(stored.body, reminded);
  const expiringNow = await t.call('GET', `/v1/orgs/${org}/certificates?status=expiring`);
  assert.deepEqual(
    expiringNow.body.data.map((c: any) => c._id),
    [certificate._id],
  );

  // Restart on the same file. SQLite has one owner per file (a second Herald
  // is refused), so the race here is the restarted Herald's own interval ticks
  // against ticks run by hand, all at once; PostgreSQL's racing nodes have
  // their own test.
  await t.close();
  clock.set(EXPIRES_AT + MINUTE);
  t = await startHerald({ clock, env: { ...env, HERALD_SCHEDULER_INTERVAL_MS: '20' } });
  await Promise.all([tickTimes(t, 3), tickTimes(t, 3), tickTimes(t, 2)]);
  await receiver.waitFor(5);
  await Promise.all([tickTimes(t, 2), tickTimes(t, 2)]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const expired = received('/raw', 'certificate_expired');
  assert.equal(expired.length, 1, 'certificate_expired exactly once');
  const events = await t.call('GET', `/v1/orgs/${org}/events?type=certificate_expired`);
  assert.equal(events.body.data.length, 1);
  assert.equal(expired[0].headers['webhook-id'], events.body.data[0].id);
  assert.equal(received('/raw', 'certificate_expiring').length, 1, 'one reminder, ever');
  const body = JSON.parse(expired[0].body);
  assert.equal(body._id, certificate._id);
  assert.equal(body.expiryReminderSent, true);
  // Receivers order a certificate's events by updatedAt: the expiry's is when it was recorded.
  assert.equal(body.updatedAt, new Date(EXPIRES_AT + MINUTE).toISOString());
  assert.equal(body.__v, 0);
  assert.deepEqual(shape(body), shape(builtInExample('certificate_expired')));
  const order = receiver.requests
    .filter((r: ReceivedRequest) => r.path === '/raw')
    .map((r) => r.headers['webhook-event-type']);
  assert.deepEqual(order, ['certificate_completed', 'certificate_expiring', 'certificate_expired']);
  const status = await t.call('GET', `/v1/orgs/${org}/certificates?status=expired`);
  assert.deepEqual(
    status.body.data.map((c: any) => c._id),
    [certificate._id],
  );
});

// Awarded already expired, or expired while Herald was down through the
// reminder window: certificate_expired must still differ from the award's
// document, or a receiver keeping the last version by updatedAt ignores it.
test('a certificate expired before any reminder: certificate_expired says so in the document', async () => {
  const badge = await t.call('POST', `/v1/orgs/${org}/badges`, { name: 'Past', lessonIds: [] });
  const awarded = await t.call('POST', `/v1/orgs/${org}/certificates`, {
    userId: '507f191e810c19729de860ea',
    badgeId: badge.body.id,
    awardedBy: 'admin',
    expires: new Date(clock.now() - DAY).toISOString(),
  });
  assert.equal(awarded.body.expiryReminderSent, false);
  const created = await eventually(async () => {
    const { body } = await t.call('GET', `/v1/orgs/${org}/events?type=certificate.created`);
    return body.data.find((e: any) => e.payload.badgeUserId === awarded.body._id);
  });
  assert.equal(created.payload.status, 'expired', "Seably's status as of the award");
  clock.advance(MINUTE);
  await tickTimes(t, 2);
  await eventually(async () =>
    received('/raw', 'certificate_expired').some(
      (r) => JSON.parse(r.body)._id === awarded.body._id,
    ),
  );
  const [expired] = received('/raw', 'certificate_expired')
    .map((r) => JSON.parse(r.body))
    .filter((body) => body._id === awarded.body._id);
  assert.equal(expired.expiryReminderSent, true);
  assert.equal(expired.updatedAt, new Date(clock.now()).toISOString());
  assert.ok(expired.updatedAt > awarded.body.updatedAt);
  assert.equal(expired.__v, 0);
});

test('a revoked certificate is neither reminded nor expired', async () => {
  const badge = await t.call('POST', `/v1/orgs/${org}/badges`, { name: 'Short', lessonIds: [] });
  const awarded = await t.call('POST', `/v1/orgs/${org}/certificates`, {
    userId: '507f191e810c19729de860ea',
    badgeId: badge.body.id,
    awardedBy: 'admin',
    expires: new Date(clock.now() + 40 * DAY).toISOString(),
  });
  await t.call('POST', `/v1/orgs/${org}/certificates/${awarded.body._id}/revoke`);
  const before = received('/raw').length;
  clock.advance(50 * DAY);
  await tickTimes(t, 2);
  const events = await t.call('GET', `/v1/orgs/${org}/events?limit=100`);
  const about = events.body.data.filter(
    (e: any) => e.payload._id === awarded.body._id && e.type !== 'certificate_completed',
  );
  assert.deepEqual(about, []);
  assert.equal(received('/raw').length, before);
});

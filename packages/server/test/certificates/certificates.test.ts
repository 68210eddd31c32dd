import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { createEndpoint, createOrg, startHerald, type TestHerald } from '../helpers/herald.ts';
import { builtInExample } from '../helpers/seeds.ts';

const DAY = 24 * 60 * 60 * 1000;
const OBJECT_ID = /^[0-9a-f]{24}$/;
const USER = '507f191e810c19729de860ea';
const OTHER_USER = '507f191e810c19729de860f0';
const LESSONS = ['507f191e810c19729de860ed', '507f191e810c19729de860ee'];

const clock = new ManualClock(Date.UTC(2026, 10, 24, 9));
let t: TestHerald;
let org: string;
let badge: any;

before(async () => {
  t = await startHerald({ listen: false, clock });
  org = await createOrg(t, 'Beedeez Customer', {});
  await createEndpoint(t, org, { url: 'https://hr.example.com/hooks' });
  const created = await t.call('POST', `/v1/orgs/${org}/badges`, {
    name: 'Safety Training Certificate',
    description: 'Complete all safety training modules',
    ruleType: 'certification',
    validityDurationDays: 365,
    lessonIds: LESSONS,
  });
  assert.equal(created.status, 201);
  badge = created.body;
});
after(() => t.close());

const award = (body: object) =>
  t.call('POST', `/v1/orgs/${org}/certificates`, {
    userId: USER,
    badgeId: badge.id,
    lessonActiveIds: LESSONS,
    awardedBy: 'completion',
    ...body,
  });

test('badges: create with an ObjectId, read, list, patch, delete', async () => {
  assert.match(badge.id, OBJECT_ID);
  assert.equal(badge.validityDurationDays, 365);
  assert.deepEqual(badge.lessonIds, LESSONS);
  assert.deepEqual((await t.call('GET', `/v1/orgs/${org}/badges/${badge.id}`)).body, badge);

  const temp = await t.call('POST', `/v1/orgs/${org}/badges`, { name: 'Temp' });
  assert.equal(temp.body.ruleType, 'certification');
  assert.equal(temp.body.validityDurationDays, null);
  const listed = await t.call('GET', `/v1/orgs/${org}/badges`);
  assert.deepEqual(listed.body.data.map((b: any) => b.id).sort(), [badge.id, temp.body.id].sort());
  const patched = await t.call('PATCH', `/v1/orgs/${org}/badges/${temp.body.id}`, {
    validityDurationDays: 30,
    name: 'Temp 2',
  });
  assert.equal(patched.body.validityDurationDays, 30);
  assert.equal(patched.body.name, 'Temp 2');
  assert.equal((await t.call('DELETE', `/v1/orgs/${org}/badges/${temp.body.id}`)).status, 204);
  assert.equal((await t.call('GET', `/v1/orgs/${org}/badges/${temp.body.id}`)).status, 404);
  assert.equal((await t.call('GET', `/v1/orgs/${org}/badges/nope`)).status, 400);
  assert.equal((await t.call('POST', `/v1/orgs/${org}/badges`, { name: '' })).status, 400);
});

test('awarding returns the BadgeUser document and publishes both dialects in one go', async () => {
  const now = clock.now();
  const { status, body } = await award({});
  assert.equal(status, 201);
  const seed = builtInExample('certificate_completed');
  assert.deepEqual(Object.keys(body), Object.keys(seed));
  assert.match(body._id, OBJECT_ID);
  assert.match(body._ownerId, OBJECT_ID);
  assert.equal(body._userId, USER);
  assert.equal(body._badgeId, badge.id);
  assert.equal(body.creationDate, new Date(now).toISOString());
  assert.equal(body.expires, new Date(now + 365 * DAY).toISOString());
  assert.equal(body.disabled, false);
  assert.equal(body.expiryReminderSent, false);
  assert.deepEqual(body._lessonActiveIds, LESSONS);
  assert.deepEqual(body.ruleData, {
    type: 'certification',
    name: 'Safety Training Certificate',
    description: 'Complete all safety training modules',
    validityDurationDays: 365,
  });
  assert.equal(body.__v, 0);

  const completed = await t.call('GET', `/v1/orgs/${org}/events?type=certificate_completed`);
  assert.deepEqual(completed.body.data[0].payload, body);
  const created = await t.call('GET', `/v1/orgs/${org}/events?type=certificate.created`);
  const seably = created.body.data[0].payload;
  assert.equal(seably.type, 'certificate');
  assert.equal(seably.id, 'SB-00000001');
  assert.equal(seably.badgeUserId, body._id);
  assert.deepEqual(seably.user, { id: USER });
  assert.equal(seably.course.name, 'Safety Training Certificate');
  assert.equal(seably.expiresAt, body.expires);
  // Each event got its delivery to the org's endpoint.
  const deliveries = await t.call('GET', `/v1/orgs/${org}/deliveries?limit=100`);
  const types = deliveries.body.data.map((d: any) => d.eventType).sort();
  assert.deepEqual(types, ['certificate.created', 'certificate_completed']);
  // The org's owner id is stable.
  assert.equal((await award({})).body._ownerId, body._ownerId);
});

test('certificate numbers are sequential per organization', async () => {
  const second = await award({ userId: OTHER_USER, user: { name: 'Grace', email: 'g@x.io' } });
  assert.equal(second.status, 201);
  const created = await t.call('GET', `/v1/orgs/${org}/events?type=certificate.created&limit=1`);
  assert.equal(created.body.data[0].payload.id, 'SB-00000003');
  assert.deepEqual(created.body.data[0].payload.user, {
    id: OTHER_USER,
    name: 'Grace',
    email: 'g@x.io',
  });

  const other = await createOrg(t, 'Other workspace', {});
  const otherBadge = await t.call('POST', `/v1/orgs/${other}/badges`, { name: 'B' });
  const first = await t.call('POST', `/v1/orgs/${other}/certificates`, {
    userId: USER,
    badgeId: otherBadge.body.id,
    awardedBy: 'admin',
  });
  assert.equal(first.status, 201);
  assert.equal(first.body.expires, null);
  const otherEvents = await t.call('GET', `/v1/orgs/${other}/events?type=certificate.created`);
  assert.equal(otherEvents.body.data[0].payload.id, 'SB-00000001');
  // A badge of another organization is not found here.
  const cross = await award({ badgeId: otherBadge.body.id });
  assert.equal(cross.status, 404);
});

test('an explicit expires overrides the validity period; filters by user, badge and status', async () => {
  const soon = new Date(clock.now() + 10 * DAY).toISOString();
  const expiring = await award({ userId: OTHER_USER, expires: soon });
  assert.equal(expiring.body.expires, soon);
  const past = await award({ userId: OTHER_USER, expires: '2020-01-01T00:00:00.000Z' });
  const never = await award({ userId: OTHER_USER, expires: null });
  assert.equal(never.body.expires, null);
  const revoked = await award({ userId: OTHER_USER });
  const revoke = await t.call('POST', `/v1/orgs/${org}/certificates/${revoked.body._id}/revoke`);
  assert.equal(revoke.status, 200);
  assert.equal(revoke.body.disabled, true);
  assert.equal(revoke.body.__v, 0);
  // Revoking again changes nothing.
  const again = await t.call('POST', `/v1/orgs/${org}/certificates/${revoked.body._id}/revoke`);
  assert.deepEqual(again.body, revoke.body);

  const ids = async (query: string) =>
    (await t.call('GET', `/v1/orgs/${org}/certificates?user=${OTHER_USER}&${query}`)).body.data
      .map((c: any) => c._id)
      .sort();
  const all = await ids('');
  assert.equal(all.length, 5);
  assert.deepEqual(await ids('status=expiring'), [expiring.body._id]);
  assert.deepEqual(await ids('status=expired'), [past.body._id]);
  assert.deepEqual(await ids('status=disabled'), [revoked.body._id]);
  const active = await ids('status=active');
  assert.equal(active.length, 3);
  assert.ok(active.includes(expiring.body._id) && active.includes(never.body._id));
  assert.equal((await ids(`badge=${badge.id}`)).length, 5);
  assert.equal((await ids('badge=507f191e810c19729de86000')).length, 0);

  const one = await t.call('GET', `/v1/orgs/${org}/certificates/${past.body._id}`);
  assert.deepEqual(one.body, past.body);
  assert.equal((await t.call('GET', `/v1/orgs/${org}/certificates/${badge.id}`)).status, 404);
  assert.equal((await award({ expires: 'tomorrow' })).status, 400);
  assert.equal((await award({ userId: 'u-1' })).status, 400);
});

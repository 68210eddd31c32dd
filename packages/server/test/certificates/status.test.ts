import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { createOrg, startHerald, type TestHerald } from '../helpers/herald.ts';

const DAY = 24 * 60 * 60 * 1000;
const USER = '507f191e810c19729de860ea';

const clock = new ManualClock(Date.UTC(2026, 10, 24, 9));
let t: TestHerald;
let org: string;
let badge: string;

before(async () => {
  // A reminder window other than the default 30 days: the status must follow the config.
  t = await startHerald({
    listen: false,
    clock,
    env: { HERALD_CERTIFICATE_REMINDER_DAYS: '10', HERALD_SCHEDULER_INTERVAL_MS: '0' },
  });
  org = await createOrg(t, 'Status Org', {});
  badge = (await t.call('POST', `/v1/orgs/${org}/badges`, { name: 'Forklift' })).body.id;
});
after(() => t.close());

const award = async (expires: number | null) => {
  const body = {
    userId: USER,
    badgeId: badge,
    expires: expires && new Date(expires).toISOString(),
  };
  const answer = await t.call('POST', `/v1/orgs/${org}/certificates`, body);
  assert.equal(answer.status, 201);
  // The award answer is the event's document, without a status.
  assert.equal(answer.body.status, undefined);
  return answer.body._id as string;
};

const statuses = async (query = '') => {
  const list = await t.call('GET', `/v1/orgs/${org}/certificates?limit=100${query}`);
  assert.equal(list.status, 200);
  return Object.fromEntries(list.body.data.map((c: any) => [c._id, c.status]));
};

test('list rows carry their status, judged now with the configured reminder window', async () => {
  const now = clock.now();
  const soon = await award(now + 5 * DAY);
  const later = await award(now + 20 * DAY);
  const never = await award(null);
  const past = await award(now - DAY);
  const revoked = await award(now + 5 * DAY);
  await t.call('POST', `/v1/orgs/${org}/certificates/${revoked}/revoke`);

  assert.deepEqual(await statuses(), {
    [soon]: 'expiring',
    [later]: 'active',
    [never]: 'active',
    [past]: 'expired',
    [revoked]: 'disabled',
  });

  // Each ?status= filter returns exactly the rows showing that status (active includes expiring).
  const all = await statuses();
  for (const status of ['active', 'expiring', 'expired', 'disabled']) {
    const filtered = Object.keys(await statuses(`&status=${status}`)).sort();
    const expected = Object.keys(all)
      .filter((id) => all[id] === status || (status === 'active' && all[id] === 'expiring'))
      .sort();
    assert.deepEqual(filtered, expected, status);
  }

  // Time moves: the 20-day certificate enters the window, the 5-day one expires.
  clock.set(now + 12 * DAY);
  const moved = await statuses();
  assert.equal(moved[later], 'expiring');
  assert.equal(moved[soon], 'expired');
  assert.equal(moved[revoked], 'disabled');
});

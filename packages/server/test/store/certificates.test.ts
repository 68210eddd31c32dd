import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { awardedEvents, expiredEvents, expiringEvents } from '../../src/certificates/events.ts';
import { newObjectId } from '../../src/certificates/object-id.ts';
import type { NewCertificate } from '../../src/certificates/types.ts';
import { BUILT_IN_EVENT_TYPES } from '../../src/event-types/built-in/index.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachDialect } from './dialects.ts';
import { addEndpoint, addOrg, DAY, T0 } from './fixtures.ts';

const USER = '507f191e810c19729de860ea';

function newCertificate(orgId: string, badgeId: string, expires: number | null): NewCertificate {
  return {
    id: newObjectId(T0),
    orgId,
    userId: USER,
    ownerId: '507f191e810c19729de860eb',
    badgeId,
    creationDate: T0,
    expires,
    disabled: false,
    expiryReminderSent: false,
    expiredPublishedAt: null,
    lessonActiveIds: [],
    ruleData: { type: 'certification', name: 'Safety', description: '', validityDurationDays: 365 },
    awardedBy: 'completion',
    user: null,
    version: 0,
    createdAt: T0,
    updatedAt: T0,
  };
}

forEachDialect((db) => {
  let store: Store;
  before(async () => {
    store = await db().open();
  });

  test('event types: seeding keeps edits, edits bump the version, names are unique', async () => {
    await store.seedEventTypes(BUILT_IN_EVENT_TYPES, T0);
    const edited = await store.updateEventType('webhook.test', { deprecated: true }, T0 + 1);
    assert.equal(edited?.version, 2);
    await store.seedEventTypes(BUILT_IN_EVENT_TYPES, T0 + 2);
    const again = await store.getEventType('webhook.test');
    assert.equal(again?.deprecated, true);
    assert.equal(again?.builtIn, true);
    assert.deepEqual(
      (await store.listEventTypes()).map((t) => t.name),
      BUILT_IN_EVENT_TYPES.map((t) => t.name).sort(),
    );
    const made = await store.createEventType(
      { name: 'x.y', description: 'd', schema: { type: 'object' }, example: {}, deprecated: false },
      T0,
    );
    assert.deepEqual(made?.schema, { type: 'object' });
    assert.equal(
      await store.createEventType(
        { name: 'x.y', description: '', schema: null, example: null, deprecated: false },
        T0,
      ),
      undefined,
    );
    const cleared = await store.updateEventType('x.y', { schema: null }, T0 + 5);
    assert.equal(cleared?.schema, null);
    assert.equal(cleared?.description, 'd');
    assert.deepEqual(cleared?.example, {});
  });

  test('organization settings merge on update', async () => {
    const org = await addOrg(store, 'Settings');
    assert.deepEqual(org.settings, { allowFreeFormTypes: false });
    const on = await store.updateOrg(org.id, { settings: { allowFreeFormTypes: true } }, T0 + 1);
    assert.deepEqual(on?.settings, { allowFreeFormTypes: true });
    const renamed = await store.updateOrg(org.id, { name: 'Renamed' }, T0 + 2);
    assert.deepEqual(renamed?.settings, { allowFreeFormTypes: true });
    assert.deepEqual((await store.getOrg(org.id))?.settings, { allowFreeFormTypes: true });
  });

  test('badges and certificates: numbers per organization, filters, revoke', async () => {
    const org = await addOrg(store, 'Certs');
    await addEndpoint(store, org.id);
    const badge = await store.createBadge(
      {
        id: newObjectId(T0),
        orgId: org.id,
        name: 'Safety',
        description: '',
        ruleType: 'certification',
        validityDurationDays: 365,
        lessonIds: [],
      },
      T0,
    );
    assert.deepEqual(await store.getBadge(org.id, badge.id), badge);
    const patched = await store.updateBadge(org.id, badge.id, { validityDurationDays: null }, T0);
    assert.equal(patched?.validityDurationDays, null);
    const first = await store.awardCertificate(
      newCertificate(org.id, badge.id, T0 + 40 * DAY),
      awardedEvents(T0),
    );
    assert.equal(first.certificate.number, 1);
    assert.equal(first.deliveries, 2);
    const second = await store.awardCertificate(
      newCertificate(org.id, badge.id, T0 + 10 * DAY),
      awardedEvents(T0),
    );
    assert.equal(second.certificate.number, 2);
    assert.deepEqual(await store.getCertificate(org.id, first.certificate.id), first.certificate);
    const filter = { now: T0, expiringWithinMs: 30 * DAY };
    const ids = async (status?: 'active' | 'expiring' | 'expired' | 'disabled') =>
      (await store.listCertificates(org.id, { ...filter, status }, { limit: 10 })).data.map(
        (c) => c.id,
      );
    assert.equal((await ids()).length, 2);
    assert.deepEqual(await ids('expiring'), [second.certificate.id]);
    assert.equal((await ids('active')).length, 2);
    const revoked = await store.revokeCertificate(org.id, second.certificate.id, T0 + 1);
    assert.equal(revoked?.disabled, true);
    assert.equal(revoked?.updatedAt, T0 + 1);
    assert.equal(revoked?.version, 0, 'a revoke changes no array: __v stays');
    assert.deepEqual(await ids('disabled'), [second.certificate.id]);
    assert.deepEqual(await ids('expiring'), []);
    const events = await store.listEvents(org.id, {}, { limit: 10 });
    assert.deepEqual(events.data.map((e) => e.type).sort(), [
      'certificate.created',
      'certificate.created',
      'certificate_completed',
      'certificate_completed',
    ]);
    assert.equal(await store.deleteBadge(org.id, badge.id, T0), true);
    assert.equal(await store.getBadge(org.id, badge.id), undefined);
  });

  test('reminder and expiry publish once each, however many stores race for them', async () => {
    const database = await db().fresh();
    const nodes = [await database.node(), await database.node(), await database.node()];
    const [one] = nodes;
    const org = await addOrg(one, 'Race');
    await addEndpoint(one, org.id);
    const badge = await one.createBadge(
      {
        id: newObjectId(T0),
        orgId: org.id,
        name: 'Race',
        description: '',
        ruleType: 'certification',
        validityDurationDays: null,
        lessonIds: [],
      },
      T0,
    );
    for (let i = 0; i < 20; i++) {
      await one.awardCertificate(newCertificate(org.id, badge.id, T0 + 40 * DAY + i), () => []);
    }
    const remindAt = T0 + 15 * DAY;
    const reminded = await Promise.all(
      nodes.flatMap((node) =>
        [0, 1].map(() =>
          node.remindExpiringCertificates(remindAt, 30 * DAY, 7, expiringEvents(remindAt)),
        ),
      ),
    );
    // Batches of 7 across six racing calls: every certificate exactly once, some maybe next tick.
    let total = reminded.reduce((n, r) => n + r.certificates.length, 0);
    for (;;) {
      const more = await one.remindExpiringCertificates(
        remindAt,
        30 * DAY,
        7,
        expiringEvents(remindAt),
      );
      if (more.certificates.length === 0) break;
      total += more.certificates.length;
    }
    assert.equal(total, 20);
    const expireAt = T0 + 41 * DAY;
    const expired = await Promise.all(
      nodes.flatMap((node) =>
        [0, 1].map(() => node.expireCertificates(expireAt, 50, expiredEvents(expireAt))),
      ),
    );
    assert.equal(
      expired.reduce((n, r) => n + r.certificates.length, 0),
      20,
    );
    assert.equal(
      (await one.expireCertificates(expireAt + DAY, 50, expiredEvents(expireAt))).certificates
        .length,
      0,
    );
    const events = await one.listEvents(org.id, {}, { limit: 100 });
    const count = (type: string) => events.data.filter((e) => e.type === type).length;
    assert.equal(count('certificate_expiring'), 20);
    assert.equal(count('certificate_expired'), 20);
    const ids = new Set(events.data.map((e) => JSON.parse(e.payloadJson)._id));
    assert.equal(ids.size, 20);
    const after = (
      await one.listCertificates(org.id, { now: expireAt, expiringWithinMs: 0 }, { limit: 50 })
    ).data;
    assert.ok(
      after.every(
        (c) =>
          c.expiryReminderSent &&
          c.version === 0 &&
          c.expiredPublishedAt === expireAt &&
          c.updatedAt === expireAt,
      ),
    );
  });
});

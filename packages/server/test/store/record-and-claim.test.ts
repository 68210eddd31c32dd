import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStore } from '../../src/store/open-store.ts';
import type { AttemptRecord, ClaimedDelivery } from '../../src/store/store.ts';
import { adminQuery, createTestSchema } from '../helpers/postgres.ts';
import { forEachDialect } from './dialects.ts';
import {
  addEndpoint,
  addOrg,
  DELIVERED,
  ingest,
  recordOf,
  retryAt,
  sendResult,
  T0,
} from './fixtures.ts';

const request = (now: number) => ({ now, limit: 10, leaseMs: 10_000 });

/** The worker's cycle in both dialects, on the paths the PostgreSQL adapter takes by the batch's outcomes. */
forEachDialect((db) => {
  async function fresh(maxConcurrency: number, queued: number) {
    const store = await (await db().fresh()).open();
    const orgId = (await addOrg(store)).id;
    const endpoint = await addEndpoint(store, orgId, { maxConcurrency });
    for (let i = 0; i < queued; i++) await ingest(store, orgId, { createdAt: T0 + i });
    return { store, orgId, endpoint };
  }

  test('a success on a failing endpoint resets its health and refills the slot it freed', async () => {
    const { store, orgId, endpoint } = await fresh(1, 3);
    const [a] = await store.claimDue(request(T0 + 10));
    const [b] = await store.recordAndClaim(
      [recordOf(a!, 503, retryAt(T0 + 60_000))],
      T0 + 20,
      undefined,
      request(T0 + 20),
    );
    const health = async () => (await store.getEndpoint(orgId, endpoint.id))!.health!;
    assert.equal((await health()).consecutiveFailures, 1);

    // All successes, on an endpoint whose failure count the record must reset.
    const [c] = await store.recordAndClaim(
      [recordOf(b!, 200, DELIVERED)],
      T0 + 30,
      undefined,
      request(T0 + 30),
    );
    assert.equal((await health()).consecutiveFailures, 0);
    assert.equal(c?.event.createdAt, T0 + 2);
    assert.equal((await store.getDelivery(orgId, b!.deliveryId))?.attempts.length, 1);
    const stats = await store.endpointStats(orgId, endpoint.id);
    assert.deepEqual([stats.attemptsSucceeded, stats.attemptsFailed], [1, 1]);
  });

  test('attempts keep their response body and error text byte for byte', async () => {
    const { store, orgId } = await fresh(10, 3);
    const claims = await store.claimDue(request(T0 + 10));
    const texts = [
      `he said "hi", {a,b} 'quoted' \\ back\\slash \\" \\\\ $1 ; COMMIT; ünïcødé 🎉\nline`,
      'NULL',
      '',
    ];
    const records: AttemptRecord[] = claims.map((claim: ClaimedDelivery, i) => ({
      ...recordOf(claim, 200, DELIVERED),
      result: { ...sendResult(200), responseBody: texts[i]!, errorMessage: texts[(i + 1) % 3]! },
    }));
    await store.recordAndClaim(records, T0 + 20, undefined, request(T0 + 20));
    for (const [i, claim] of claims.entries()) {
      const [attempt] = (await store.getDelivery(orgId, claim.deliveryId))!.attempts;
      assert.equal(attempt?.responseBody, texts[i]);
      assert.equal(attempt?.errorMessage, texts[(i + 1) % 3]);
    }
  });

  test('a response body with NUL characters is recorded, not retried forever', async () => {
    const { store, orgId } = await fresh(10, 1);
    const [claim] = await store.claimDue(request(T0 + 10));
    const body = 'PK\u0003\u0004\u0000\u0000binary';
    const record = {
      ...recordOf(claim!, 200, DELIVERED),
      result: { ...sendResult(200), responseBody: body },
    };
    await store.recordAndClaim([record], T0 + 20, undefined, request(T0 + 20));
    const delivery = (await store.getDelivery(orgId, claim!.deliveryId))!;
    assert.equal(delivery.status, 'delivered');
    // PostgreSQL text cannot hold NUL: it becomes U+FFFD there, as undecodable bytes do.
    const stored = db().dialect === 'postgres' ? body.replaceAll('\u0000', '\uFFFD') : body;
    assert.equal(delivery.attempts[0]?.responseBody, stored);
  });
});

test("PostgreSQL: the worker's batches read their values alike whatever the role's settings", async () => {
  const schema = await createTestSchema('settings');
  // A role with every setting that changes how a quoted literal parses set the other way.
  const role = `${schema.name}_role`;
  await adminQuery(`CREATE ROLE ${role} LOGIN SUPERUSER`);
  for (const setting of [
    "client_encoding = 'SJIS'",
    'standard_conforming_strings = off',
    'backslash_quote = on',
    'array_nulls = off',
  ])
    await adminQuery(`ALTER ROLE ${role} SET ${setting}`);
  const url = new URL(schema.url);
  url.username = role;
  const store = createStore(url.toString(), { poolSize: 2 });
  try {
    await store.open(Date.now());
    const orgId = (await addOrg(store)).id;
    await addEndpoint(store, orgId, { maxConcurrency: 10 });
    for (let i = 0; i < 2; i++) await ingest(store, orgId, { createdAt: T0 + i });
    const [a, b] = await store.claimDue(request(T0 + 10));
    // In SJIS, 'Ã' and the backslash after it are one character, and the quote then ends a literal.
    const body = 'Ã\\\'::text UNION ALL SELECT current_user-- \\\\ "q" NULL';
    const delivered = recordOf(a!, 200, DELIVERED);
    delivered.result.responseBody = body;
    // No status code: a null among the array's numbers.
    const refused = recordOf(b!, null, retryAt(T0 + 60_000));
    await store.recordAndClaim([delivered, refused], T0 + 20, undefined, request(T0 + 20));
    const attempt = async (id: string) => (await store.getDelivery(orgId, id))!.attempts[0];
    assert.equal((await attempt(a!.deliveryId))?.responseBody, body);
    assert.equal((await attempt(b!.deliveryId))?.statusCode, null);
  } finally {
    await store.close();
    await schema.drop();
    await adminQuery(`DROP ROLE ${role}`);
  }
});

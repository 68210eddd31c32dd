import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { resealSecrets, withEncryption } from '../../src/store/encryption/encrypted-store.ts';
import { createSecretBox, generateKey, parseKey } from '../../src/store/encryption/secret-box.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachDialect } from './dialects.ts';
import { addOrg, DELIVERED, endpointFields, ingest, recordOf, T0 } from './fixtures.ts';

const AUTH = { type: 'bearer' as const, token: 'store-suite-bearer-SENTINEL' };
const HEADERS = { 'X-Tenant-Token': 'store-suite-header-SENTINEL', 'X-Team': 'learning' };

forEachDialect((db) => {
  let raw: Store;
  before(async () => {
    raw = await db().open();
  });

  test('encryption at the store boundary: plaintext in the domain, ciphertext in the table', async () => {
    const key = parseKey(generateKey());
    const box = createSecretBox({ active: key, keys: [] });
    const store = withEncryption(raw, box);
    const org = await addOrg(store, 'Sealed', T0);
    const fields = endpointFields(org.id, { auth: AUTH, headers: HEADERS });
    const created = await store.createEndpoint(fields, T0);
    assert.equal(created.secret, fields.secret);
    assert.deepEqual(created.auth, AUTH);
    assert.deepEqual(created.headers, HEADERS);
    assert.deepEqual((await store.getEndpoint(org.id, fields.id))?.auth, AUTH);
    assert.deepEqual((await store.getEndpoint(org.id, fields.id))?.headers, HEADERS);

    const stored = (await raw.listEndpointSecrets('', 1000)).find((e) => e.id === fields.id);
    assert.ok(stored);
    assert.match(stored.secret, new RegExp(`^enc:v1:${key.id}:`));
    assert.match((stored.auth as { token: string }).token, /^enc:v1:/);
    assert.notEqual((stored.auth as { token: string }).token, AUTH.token);
    // Header names stay readable; every value is sealed, bound to its name.
    assert.deepEqual(Object.keys(stored.headers), Object.keys(HEADERS));
    for (const value of Object.values(stored.headers)) assert.match(value, /^enc:v1:/);
    const swapped = {
      ...stored,
      headers: { 'X-Team': stored.headers['X-Tenant-Token'], 'X-Tenant-Token': 'x' },
    };
    await raw.putEndpointSecrets([swapped]);
    await assert.rejects(store.getEndpoint(org.id, fields.id), /does not open/);
    await raw.putEndpointSecrets([stored]);

    // A new active key: the re-seal pass rewrites this endpoint, and the result still opens.
    const next = parseKey(generateKey());
    const rotated = createSecretBox({ active: next, keys: [key] });
    assert.ok((await resealSecrets(raw, rotated, { force: true })) >= 1);
    const resealed = (await raw.listEndpointSecrets('', 1000)).find((e) => e.id === fields.id);
    assert.match(resealed?.secret ?? '', new RegExp(`^enc:v1:${next.id}:`));
    const reopened = await withEncryption(
      raw,
      createSecretBox({ active: next, keys: [] }),
    ).getEndpoint(org.id, fields.id);
    assert.equal(reopened?.secret, fields.secret);
    assert.deepEqual(reopened?.auth, AUTH);
    assert.deepEqual(reopened?.headers, HEADERS);
  });

  test('a database from before header values were sealed: the first start seals them', async () => {
    // Its own database: the re-seal pass walks every endpoint.
    const raw = await (await db().fresh()).open();
    const box = createSecretBox({ active: parseKey(generateKey()), keys: [] });
    const org = await addOrg(raw, 'Upgraded', T0);
    const fields = endpointFields(org.id, { headers: HEADERS });
    // Written as an older Herald did: the secret sealed, the header values not,
    // and the start-up scan marked done for this key.
    await raw.setMeta('encryption_sealed_by', box.activeKeyId);
    await raw.createEndpoint(
      { ...fields, secret: box.seal(fields.secret, `${fields.id}/secret`) },
      T0,
    );
    await resealSecrets(raw, box);
    const stored = (await raw.listEndpointSecrets('', 1000)).find((e) => e.id === fields.id);
    for (const value of Object.values(stored?.headers ?? {})) assert.match(value, /^enc:v1:/);
    const store = withEncryption(raw, box);
    assert.deepEqual((await store.getEndpoint(org.id, fields.id))?.headers, HEADERS);
  });

  test('claims carry opened secrets, whichever call made them', async () => {
    const store = withEncryption(
      raw,
      createSecretBox({ active: parseKey(generateKey()), keys: [] }),
    );
    const org = await addOrg(store, 'Claims', T0);
    const fields = endpointFields(org.id, { auth: AUTH, headers: HEADERS, maxConcurrency: 1 });
    await store.createEndpoint(fields, T0);
    for (let i = 0; i < 2; i++) await ingest(store, org.id, { createdAt: T0 + i });
    const request = { now: T0 + 10, limit: 10, leaseMs: 1000 };
    const [first] = await store.claimDue(request);
    const [second] = await store.recordAndClaim(
      [recordOf(first, 200, DELIVERED)],
      T0 + 10,
      undefined,
      request,
    );
    for (const claim of [first, second]) {
      assert.equal(claim.endpoint.secret, fields.secret);
      assert.deepEqual(claim.endpoint.auth, AUTH);
      assert.deepEqual(claim.endpoint.headers, HEADERS);
    }
  });
});

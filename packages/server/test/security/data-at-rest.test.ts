import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { createHerald } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { resealSecrets } from '../../src/store/encryption/encrypted-store.ts';
import { createSecretBox, generateKey, parseKey } from '../../src/store/encryption/secret-box.ts';
import { createStore } from '../../src/store/open-store.ts';
import { ADMIN_TOKEN, createOrg, startHerald, tempDir } from '../helpers/herald.ts';
import { type Receiver, startReceiver } from '../helpers/receiver.ts';

/** Every byte of the database: the main file, the WAL and the shared-memory index. */
function databaseBytes(dir: string): Buffer {
  return Buffer.concat(
    ['herald.db', 'herald.db-wal', 'herald.db-shm']
      .map((name) => join(dir, name))
      .filter(existsSync)
      .map((file) => readFileSync(file)),
  );
}

const SECRETS = {
  bearer: 'bearer-token-SENTINEL-1f3a9c',
  password: 'basic-password-SENTINEL-77e2d1',
  apiKeyValue: 'api-key-value-SENTINEL-c0ffee',
  header: 'custom-header-SENTINEL-5eed42',
};

test('the SQLite file holds no endpoint secret, credential or API key in plaintext', async (ctx) => {
  const receiver: Receiver = await startReceiver();
  const t = await startHerald({ worker: { pollIntervalMs: 20 } });
  ctx.after(async () => {
    await t.close();
    await receiver.close();
  });
  const orgId = await createOrg(t);
  const made = [];
  for (const auth of [
    { type: 'bearer', token: SECRETS.bearer },
    { type: 'basic', username: 'herald', password: SECRETS.password },
    { type: 'apiKey', header: 'X-Api-Key', value: SECRETS.apiKeyValue },
  ]) {
    const { status, body } = await t.call('POST', `/v1/orgs/${orgId}/endpoints`, {
      name: auth.type,
      url: `${receiver.url}/${auth.type}`,
      auth,
      headers: { 'X-Tenant-Token': SECRETS.header },
    });
    assert.equal(status, 201);
    made.push(body);
  }
  const rotated = await t.call(
    'POST',
    `/v1/orgs/${orgId}/endpoints/${made[0].id}/rotate-secret`,
    {},
  );
  assert.ok(rotated.status < 300, JSON.stringify(rotated.body));
  const apiKey = (await t.call('POST', `/v1/orgs/${orgId}/api-keys`, { name: 'ci' })).body.key;

  // The credentials still work end to end: they are decrypted for sending.
  await t.call('POST', `/v1/orgs/${orgId}/events`, { type: 'x', payload: {} });
  const requests = await receiver.waitFor(3);
  const seen = requests
    .map(
      (r) => `${r.headers.authorization} ${r.headers['x-api-key']} ${r.headers['x-tenant-token']}`,
    )
    .join();
  assert.match(seen, new RegExp(SECRETS.bearer));
  assert.match(seen, new RegExp(Buffer.from(`herald:${SECRETS.password}`).toString('base64')));
  assert.match(seen, new RegExp(SECRETS.apiKeyValue));
  assert.match(seen, new RegExp(SECRETS.header));
  // And the API still reveals the signing secret to its owner.
  const revealed = await t.call('GET', `/v1/orgs/${orgId}/endpoints/${made[1].id}/secret`);
  assert.equal(revealed.body.secret, made[1].secret);

  const bytes = databaseBytes(t.dir);
  const needles = [
    ...Object.values(SECRETS),
    ...made.map((e) => e.secret),
    ...made.map((e) => e.secret.slice('whsec_'.length)),
    rotated.body.secret,
    apiKey,
    apiKey.slice(3),
    ADMIN_TOKEN,
  ].filter(Boolean);
  assert.ok(needles.length >= 10);
  for (const needle of needles) {
    assert.equal(bytes.includes(needle), false, `found ${needle} in the database file`);
  }
  // The positive control: the scan does find what is stored in the clear.
  assert.equal(bytes.includes('herald'), true);

  // The generated key sits beside the database, readable by its owner only.
  const keyFile = join(t.dir, 'herald.key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
});

test('rotating the encryption key re-seals every secret; the old key is then not needed', async () => {
  const dir = tempDir();
  const databaseUrl = `sqlite:${join(dir, 'herald.db')}`;
  const oldKey = generateKey();
  const newKey = generateKey();
  const env = (extra: Record<string, string>) =>
    loadConfig({
      HERALD_DATABASE_URL: databaseUrl,
      HERALD_ADMIN_TOKEN: ADMIN_TOKEN,
      HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
      ...extra,
    });
  const logger = pino({ level: 'silent' });
  const start = (extra: Record<string, string>) =>
    createHerald({ config: env(extra), logger, deliver: false });

  let herald = await start({ HERALD_ENCRYPTION_KEY: oldKey });
  const call = async (method: string, url: string, payload?: object) => {
    const r = await herald.api.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload ? { payload } : {}),
    });
    return r.json();
  };
  const org = await call('POST', '/v1/orgs', { name: 'Rotating' });
  const endpoint = await call('POST', `/v1/orgs/${org.id}/endpoints`, {
    name: 'e',
    url: 'https://hooks.example.com/',
    auth: { type: 'bearer', token: SECRETS.bearer },
  });
  await herald.close();

  // Without the old key, the stored secrets cannot be opened: startup refuses loudly.
  await assert.rejects(start({ HERALD_ENCRYPTION_KEY: newKey }), /not in the keyring/);

  // With the old key as a previous key, startup re-seals everything under the new one.
  herald = await start({ HERALD_ENCRYPTION_KEY: newKey, HERALD_PREVIOUS_ENCRYPTION_KEYS: oldKey });
  assert.equal(
    (await call('GET', `/v1/orgs/${org.id}/endpoints/${endpoint.id}/secret`)).secret,
    endpoint.secret,
  );
  await herald.close();
  const raw = createStore(databaseUrl);
  await raw.open(Date.now());
  const [row] = await raw.listEndpointSecrets('', 10);
  const newId = parseKey(newKey).id;
  assert.match(row.secret, new RegExp(`^enc:v1:${newId}:`));
  assert.match((row.auth as { token: string }).token, new RegExp(`^enc:v1:${newId}:`));
  // Nothing left for the old key: a forced pass finds nothing to rewrite.
  assert.equal(
    await resealSecrets(raw, createSecretBox({ active: parseKey(newKey), keys: [] }), {
      force: true,
    }),
    0,
  );
  await raw.close();

  // And the old key is no longer needed.
  herald = await start({ HERALD_ENCRYPTION_KEY: newKey });
  assert.equal(
    (await call('GET', `/v1/orgs/${org.id}/endpoints/${endpoint.id}/secret`)).secret,
    endpoint.secret,
  );
  await herald.close();
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

test('defaults serve on 127.0.0.1:8080 with SQLite in ./data', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.databaseUrl, 'sqlite:./data/herald.db');
  assert.equal(config.adminToken, undefined);
  assert.equal(config.allowPrivateNetworks, false);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.maxPayloadBytes, 1024 * 1024);
});

test('environment variables set values and flags override them', () => {
  const env = {
    HERALD_PORT: '9000',
    HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
    HERALD_DATABASE_URL: 'sqlite::memory:',
  };
  const config = loadConfig(env, ['--port', '9100', '--log-level', 'debug']);
  assert.equal(config.port, 9100);
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.allowPrivateNetworks, true);
  assert.equal(config.databaseUrl, 'sqlite::memory:');
});

test('a bad value names the variable, or the flag it came from', () => {
  const cases: [Record<string, string>, string[], RegExp][] = [
    [{ HERALD_PORT: 'eighty' }, [], /^HERALD_PORT:/],
    [{ HERALD_PORT: '70000' }, [], /^HERALD_PORT:/],
    [{}, ['--port', '-1'], /^--port:/],
    [{ HERALD_DATABASE_URL: 'mysql://x' }, [], /^HERALD_DATABASE_URL:/],
    [{ HERALD_ADMIN_TOKEN: 'short' }, [], /^HERALD_ADMIN_TOKEN:.*16/],
    [{ HERALD_ALLOW_PRIVATE_NETWORKS: 'maybe' }, [], /^HERALD_ALLOW_PRIVATE_NETWORKS:/],
    [{ HERALD_LOG_LEVEL: 'loud' }, [], /^HERALD_LOG_LEVEL:/],
    // The parsers that throw: their message becomes the setting's.
    [
      { HERALD_ALLOWED_DESTINATIONS: 'hooks.example.com, 10.0.0.0/99' },
      [],
      /^HERALD_ALLOWED_DESTINATIONS: bad host or CIDR: .+ \(got/,
    ],
    [
      { HERALD_ENCRYPTION_KEY: 'c2hvcnQ=' },
      [],
      /^HERALD_ENCRYPTION_KEY: an encryption key is 32 bytes/,
    ],
    [
      { HERALD_PREVIOUS_ENCRYPTION_KEYS: `${KEY},c2hvcnQ=` },
      [],
      /^HERALD_PREVIOUS_ENCRYPTION_KEYS: an encryption key is 32 bytes/,
    ],
  ];
  for (const [env, argv, message] of cases) {
    assert.throws(
      () => loadConfig(env, argv),
      (error: Error) => error instanceof ConfigError && message.test(error.message),
    );
  }
});

test('a refused secret is not echoed in the error', () => {
  const secrets: Record<string, string> = {
    HERALD_ADMIN_TOKEN: 'short-secret',
    HERALD_ENCRYPTION_KEY: 'c2hvcnQtc2VjcmV0',
    HERALD_PREVIOUS_ENCRYPTION_KEYS: 'c2hvcnQtc2VjcmV0',
    HERALD_DATABASE_URL: 'mysql://user:hunter2@db',
  };
  // A password with an unencoded # is no URL: pg's error would print it whole.
  const unparsable = 'postgres://herald:s3cr3t#x@127.0.0.1:5432/test';
  assert.throws(
    () => loadConfig({ HERALD_DATABASE_URL: unparsable }),
    (error: Error) =>
      error instanceof ConfigError &&
      /percent-encode/.test(error.message) &&
      !error.message.includes('s3cr3t'),
  );
  for (const [variable, value] of Object.entries(secrets)) {
    assert.throws(
      () => loadConfig({ [variable]: value }),
      (error: Error) =>
        error instanceof ConfigError &&
        error.message.startsWith(`${variable}:`) &&
        error.message.endsWith('(value not shown)') &&
        !error.message.includes(value),
      variable,
    );
  }
  // Other settings still show what was refused, to help fix it.
  assert.throws(() => loadConfig({ HERALD_PORT: 'eighty' }), /\(got "eighty"\)$/);
});

test('lists and keys that parse are kept as given', () => {
  const config = loadConfig({
    HERALD_ALLOWED_DESTINATIONS: 'hooks.example.com, 10.0.0.0/8',
    HERALD_ENCRYPTION_KEY: KEY,
    HERALD_PREVIOUS_ENCRYPTION_KEYS: ` ${KEY} ,`,
  });
  assert.deepEqual(config.allowedDestinations, ['hooks.example.com', '10.0.0.0/8']);
  assert.equal(config.encryptionKey, KEY);
  assert.deepEqual(config.previousEncryptionKeys, [KEY]);
  assert.deepEqual(loadConfig({}).previousEncryptionKeys, []);
});

test('herald serve refuses to start on a bad value and says which one', () => {
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const result = spawnSync(process.execPath, [main, 'serve'], {
    env: { ...process.env, HERALD_PORT: 'eighty' },
    encoding: 'utf8',
    timeout: 90_000, // a loaded CI machine can take long to start Node with type stripping
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /HERALD_PORT/);
});

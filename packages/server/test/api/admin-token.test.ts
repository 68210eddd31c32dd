import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/herald.ts';
import { spawnHerald } from '../helpers/process.ts';

test('without a configured token, the first start generates one, prints it once and accepts it', async () => {
  const dir = tempDir('herald-token-');
  const env = { HERALD_DATABASE_URL: `sqlite:${join(dir, 'herald.db')}`, HERALD_ADMIN_TOKEN: '' };
  try {
    const first = await spawnHerald(env);
    const token = /HERALD_ADMIN_TOKEN=(\S+)/.exec(first.output())?.[1];
    assert.ok(token, first.output());
    const withToken = (url: string) =>
      fetch(`${url}/v1/orgs`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await withToken(first.url)).status, 200);
    first.child.kill('SIGTERM');
    await first.exited;

    const second = await spawnHerald(env);
    assert.doesNotMatch(second.output(), /HERALD_ADMIN_TOKEN=/);
    assert.equal((await withToken(second.url)).status, 200);
    second.child.kill('SIGTERM');
    await second.exited;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite::memory: runs Herald with nothing on disk', async () => {
  const herald = await spawnHerald({ HERALD_DATABASE_URL: 'sqlite::memory:' });
  try {
    assert.equal((await herald.api('POST', '/v1/orgs', { name: 'Ephemeral' })).status, 201);
  } finally {
    herald.child.kill('SIGTERM');
    await herald.exited;
  }
});

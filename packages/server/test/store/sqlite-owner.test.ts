import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Db } from '../../src/store/sqlite/database.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { tempDir } from '../helpers/herald.ts';
import { spawnHerald } from '../helpers/process.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs a herald command to its end; resolves with its exit code and stderr, never rejects. */
async function herald(args: string[], env: Record<string, string>) {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [MAIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

test('a SQLite database has one owner: a second process is refused, and a killed owner leaves no lock behind', async () => {
  const file = join(tempDir('herald-owner-'), 'herald.db');
  const env = { HERALD_DATABASE_URL: `sqlite:${file}` };
  const owner = await spawnHerald(env);

  // A second owner would hand the first one's in-flight deliveries back to the queue.
  const second = await herald(['migrate'], env);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /herald migrate: .*herald\.db is in use by another Herald/);
  assert.doesNotMatch(second.stderr, /\n\s+at /, 'one line for the operator, no stack trace');

  // The OS drops the lock with the process: nothing to clean up after a crash.
  owner.child.kill('SIGKILL');
  await owner.exited;
  const store = new SqliteStore(file);
  await store.open(Date.now());
  await store.close();
  const next = await spawnHerald(env);
  assert.equal((await next.api('GET', '/healthz')).status, 200);
  next.child.kill('SIGTERM');
  assert.equal(await next.exited, 0);
});

test('a file that does not open as a database gives its ownership back', () => {
  const file = join(tempDir('herald-owner-'), 'herald.db');
  writeFileSync(file, 'not a SQLite database\n');
  assert.throws(() => new Db(file), /file is not a database/);
  // A lock left behind by the failed open would refuse this one (after the busy timeout).
  rmSync(file);
  new Db(file).close();
});

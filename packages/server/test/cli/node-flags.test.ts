import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { spawnHerald } from '../helpers/process.ts';

/** The command line the kernel has for a process: what V8 was started with. */
const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

test('herald serve restarts itself in place with its V8 flags; the pid stays the same', async () => {
  const herald = await spawnHerald({ HERALD_DATABASE_URL: 'sqlite::memory:' });
  try {
    const argv = commandLine(herald.child.pid!);
    for (const flag of NODE_FLAGS) assert.ok(argv.includes(flag), argv.join(' '));
    assert.equal((await herald.api('POST', '/v1/orgs', { name: 'Flags' })).status, 201);
  } finally {
    herald.child.kill('SIGTERM');
    await herald.exited;
  }
});

test('a V8 flag the operator sets in NODE_OPTIONS wins over the one herald serve adds', async () => {
  const herald = await spawnHerald({
    HERALD_DATABASE_URL: 'sqlite::memory:',
    NODE_OPTIONS: '--max-semi-space-size=32',
  });
  try {
    const argv = commandLine(herald.child.pid!);
    assert.ok(!argv.some((arg) => arg.startsWith('--max-semi-space-size')), argv.join(' '));
    const others = NODE_FLAGS.filter((flag) => !flag.startsWith('--max-semi-space-size'));
    for (const flag of others) assert.ok(argv.includes(flag), argv.join(' '));
  } finally {
    herald.child.kill('SIGTERM');
    await herald.exited;
  }
});

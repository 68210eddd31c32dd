import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBench, SCENARIOS } from './bench.ts';
import { table } from './lib/report.ts';

/**
 * `npm run bench [-- --quick] [--json] [--only a,b] [--no-peer] [--profile]`
 * Runs the scenarios, prints a table; --json also writes bench/results/latest.json.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const results = join(import.meta.dirname, 'results');
const only = values.only?.split(',').map((name) => name.trim());
for (const name of only ?? []) {
  if (!SCENARIOS[name]) {
    process.stderr.write(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}\n`);
    process.exit(2);
  }
}
const profileDir = values.profile ? join(results, 'profiles') : undefined;
const report = await runBench({
  quick: values.quick,
  only,
  noPeer: values['no-peer'],
  profileDir,
  plotDir: results,
});
process.stdout.write(`\n${table(report)}\n`);
if (values.json) {
  mkdirSync(results, { recursive: true });
  const file = join(results, 'latest.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nwrote ${file}\n`);
}
if (profileDir) process.stdout.write(`CPU profiles of the Herald nodes: ${profileDir}\n`);

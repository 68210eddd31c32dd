import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBench, SCENARIOS } from './bench.ts';
import { table } from './lib/report.ts';

/**
 * `npm run bench [-- --quick] [--json] [--only a,b] [--no-peer] [--profile] [--update-readme]`
 * Runs the scenarios, prints a table; --json also writes bench/results/latest.json.
 */
const README_START = '<!-- bench:latest -->';
const README_END = '<!-- /bench:latest -->';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'update-readme': { type: 'boolean', default: false },
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
if (values['update-readme']) {
  // Only the block between the markers is rewritten; the rest of the README is left alone.
  const readme = join(import.meta.dirname, '..', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start === -1 || end < start)
    throw new Error(`README.md has no ${README_START} … ${README_END} block`);
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const block = `${README_START}\nLatest ${values.quick ? 'quick' : 'full'} run, ${when} UTC (shared 2-core machine; see bench/RESULTS.md):\n\n${table(report)}\n`;
  writeFileSync(readme, text.slice(0, start) + block + text.slice(end));
  process.stdout.write('updated the README table\n');
}
if (profileDir) process.stdout.write(`CPU profiles of the Herald nodes: ${profileDir}\n`);

// Completes a compiled build (tsc -p tsconfig.build.json) into a publishable
// package: the .d.ts files import .js like the code does, and the folder gets
// its own package.json pointing at the compiled files, and the README.
// The source package is private (its exports point at .ts); this one is what npm gets.
// Usage: node scripts/finish-dist.mjs [outDir]   (default: dist)
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(here, 'dist'));
const source = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

for (const file of readdirSync(out)) {
  if (!file.endsWith('.d.ts')) continue;
  const path = join(out, file);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace(/(from\s+['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2'));
}

const manifest = {
  name: source.name,
  version: source.version,
  description: source.description,
  license: source.license,
  type: 'module',
  main: './index.js',
  types: './index.d.ts',
  exports: { '.': { types: './index.d.ts', default: './index.js' } },
  sideEffects: false,
  engines: { node: '>=20' },
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(here, 'README.md'), join(out, 'README.md'));
console.log(`@herald/sdk ${source.version} ready to publish in ${out}`);

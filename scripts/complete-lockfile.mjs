// The npm registry reachable from our build machines serves only the linux
// builds of packages that ship one binary package per platform (Biome, esbuild,
// Rollup…). `npm install` then writes a lockfile without the other platforms'
// optional entries, and `npm ci` refuses it as out of sync on every machine.
// This restores those entries (version, os, cpu, libc from the package name) so
// the lockfile is complete; npm skips them on platforms they don't match.
// Run after any `npm install`: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'openharmony',
  'sunos',
  'win32',
  'aix',
  'cygwin',
];
const CPU = [
  'x64',
  'arm64',
  'ia32',
  'arm',
  'ppc64',
  'ppc64le',
  's390x',
  'riscv64',
  'loong64',
  'mips64el',
  'wasm32',
];
const LIBC = { musl: 'musl', gnu: 'glibc', glibc: 'glibc' };

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location === '' ? '' : `${location}/`;
    if (packages[`${base}node_modules/${name}`] || packages[`node_modules/${name}`]) continue;
    const parts = name.split('/').pop().split(/[-_.]/);
    const stub = { version: range.replace(/^[\^~=]/, ''), dev: entry.dev, optional: true };
    const os = parts.find((part) => OS.includes(part));
    const cpu =
      parts.find((part) => CPU.includes(part)) ?? (parts.includes('x86') ? 'ia32' : undefined);
    const libc = parts.map((part) => LIBC[part]).find(Boolean);
    if (os) stub.os = [os];
    if (cpu) stub.cpu = [cpu];
    if (libc) stub.libc = [libc];
    if (!stub.dev) delete stub.dev;
    packages[`node_modules/${name}`] = stub;
    added++;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} missing optional platform entries`);

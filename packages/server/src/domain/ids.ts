import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

export type IdPrefix = 'org' | 'ep' | 'evt' | 'dlv' | 'atm' | 'key';

// ulid's default source calls randomFillSync once per character (16 per id);
// drawing from a refilled pool of crypto-random words costs one call per 1024.
const pool = new Uint32Array(1024);
let next = pool.length;
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 0x1_0000_0000;
}

const ulid = monotonicFactory(pooledRandom);

/** A prefixed, time-ordered id (`evt_01J…`): ids sort by creation, which cursors rely on. */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${ulid(now)}`;
}

import { monotonicFactory } from 'ulid';

export type IdPrefix = 'org' | 'ep' | 'evt' | 'dlv' | 'atm';

const ulid = monotonicFactory();

/** A prefixed, time-ordered id (`evt_01J…`): ids sort by creation, which cursors rely on. */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${ulid(now)}`;
}

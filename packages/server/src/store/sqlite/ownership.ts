import { DatabaseSync } from 'node:sqlite';
import { DatabaseInUseError } from '../store.ts';

const SQLITE_BUSY = 5;

/**
 * One process owns a database file: opening it hands back whatever a dead
 * owner left `sending`, so a second live process would re-send the first one's
 * in-flight deliveries. The owner holds an exclusive lock on `<file>.lock`, a
 * sidecar SQLite file in EXCLUSIVE locking mode, which keeps the lock from its
 * first transaction until it closes. The database itself stays open to the
 * owner's own extra connections (the checkpoint thread). It is an OS file
 * lock, so a crashed process leaves nothing stale; the busy timeout lets a
 * restart wait out an old process that is still draining.
 */
export function takeOwnership(location: string): DatabaseSync {
  const lock = new DatabaseSync(`${location}.lock`);
  try {
    lock.exec('PRAGMA busy_timeout = 5000; PRAGMA locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
    return lock;
  } catch (error) {
    lock.close();
    if ((error as { errcode?: number }).errcode !== SQLITE_BUSY) throw error;
    throw new DatabaseInUseError(
      `${location} is in use by another Herald: a SQLite database belongs to one process (run several nodes over PostgreSQL)`,
    );
  }
}

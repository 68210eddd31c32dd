import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.ts';

/** How often the thread copies what was committed since its last checkpoint. */
const INTERVAL_MS = 50;
/**
 * Past this many WAL pages (64 MiB of 4 KiB pages) the writer checkpoints by
 * itself, as SQLite does by default at 1,000. The WAL starts over from its
 * beginning only when a write transaction begins with every frame already
 * copied, which commits arriving back to back never allow the thread: under a
 * sustained load the WAL grows to this size, the writer copies the last
 * frames (≤ 50 ms of commits) and restarts it: one short stall per 64 MiB
 * written instead of one per 4 MiB.
 */
const BACKSTOP_PAGES = 16_384;

/**
 * WAL checkpoints off the event loop. With SQLite's automatic checkpoint, the
 * commit that takes the WAL past 1,000 pages copies them into the database
 * file and fsyncs both files (with synchronous=NORMAL the fsyncs happen there,
 * not at commits): 5–13 ms in which the event loop stands still, on ~2 % of
 * the group commits of a busy ingest, and every request in flight waits.
 * A worker thread with its own connection runs PASSIVE checkpoints instead,
 * which never block the writer. Durability is unchanged: a commit is in the
 * WAL when it returns, whoever copies it into the file later.
 * Returns a function that stops the thread.
 */
export function startCheckpointer(db: Db, location: string): () => Promise<void> {
  db.raw.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
    workerData: { location, intervalMs: INTERVAL_MS },
  });
  // Not a reason to keep the process alive; a store that is never closed just stops checkpointing.
  worker.unref();
  const exited = once(worker, 'exit');
  // Without the thread (it failed to start or died), SQLite checkpoints on commit as it did before.
  worker.on('error', () => db.raw.isOpen && db.raw.exec('PRAGMA wal_autocheckpoint = 1000'));
  return async () => {
    worker.postMessage('stop');
    await exited;
  };
}

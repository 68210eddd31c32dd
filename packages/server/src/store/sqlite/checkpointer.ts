import { Worker } from 'node:worker_threads';
import type { Db } from './database.ts';

/** How often the thread copies what was committed since its last checkpoint. */
const INTERVAL_MS = 50;
/** Past this many WAL pages (64 MiB of 4 KiB pages) the thread restarts the WAL. */
const RESTART_PAGES = 16_384;
/**
 * The writer's own checkpoint (SQLite's default is at 1,000 pages) kicks in at
 * this many times the restart size: only a safety net now, for a thread that
 * cannot keep up. It stalls the event loop for its fsyncs (~20 ms under a busy ingest).
 */
const BACKSTOP_FACTOR = 4;

/**
 * A pause the thread has not ended by then is a thread stuck (a dead disk):
 * it is stopped, and the writer goes on without it (see the watchdog below).
 * A slow RESTART that is still working is better waited for behind the gate
 * than in SQLite's busy handler, which would sleep on the event loop.
 */
const PAUSE_LIMIT_MS = 10_000;

export interface CheckpointerOptions {
  restartPages?: number;
  pauseLimitMs?: number;
}

/**
 * WAL checkpoints off the event loop. With SQLite's automatic checkpoint, the
 * commit that takes the WAL past 1,000 pages copies them into the database
 * file and fsyncs both files (with synchronous=NORMAL the fsyncs happen there,
 * not at commits): 5–13 ms in which the event loop stands still, on ~2 % of
 * the group commits of a busy ingest, and every request in flight waits.
 * A worker thread with its own connection runs PASSIVE checkpoints instead,
 * which never block the writer.
 *
 * The WAL starts over from its beginning only when a write transaction begins
 * with every frame copied, which commits arriving back to back never allow.
 * So once the WAL passes RESTART_PAGES the thread asks for a pause: the
 * writer closes its WriteGate (requests keep being parsed and queued, the
 * loop never sleeps), the thread copies the few frames left and fsyncs, and
 * the gate opens; the next commit restarts the WAL. Durability is unchanged:
 * a commit is in the WAL when it returns, whoever copies it into the file later.
 * Returns a function that stops the thread.
 */
export function startCheckpointer(
  db: Db,
  { restartPages = RESTART_PAGES, pauseLimitMs = PAUSE_LIMIT_MS }: CheckpointerOptions = {},
): () => Promise<void> {
  db.raw.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_FACTOR * restartPages}`);
  const { location, fileDescriptor } = db;
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
    workerData: { location, fileDescriptor, intervalMs: INTERVAL_MS, restartPages },
  });
  // Not a reason to keep the process alive; a store that is never closed just stops checkpointing.
  worker.unref();
  let exited = false;
  let watchdog: NodeJS.Timeout | undefined;
  const resume = () => {
    clearTimeout(watchdog);
    db.gate.open();
  };
  worker.on('message', (message) => {
    if (message === 'pause' && !exited) {
      // Between two tasks of the loop: no transaction of this connection is open.
      db.gate.close();
      // Whatever happens to the thread, the gate reopens: a thread stuck in a
      // RESTART is stopped, and SQLite's own checkpoints take over (see exit).
      watchdog = setTimeout(() => {
        resume();
        process.emitWarning(
          `the SQLite checkpoint thread held writes for ${pauseLimitMs} ms and was stopped; SQLite checkpoints on commit from now on`,
          { code: 'HERALD_CHECKPOINTER' },
        );
        void worker.terminate();
      }, pauseLimitMs).unref();
      worker.postMessage('paused');
    } else if (message === 'resume') resume();
  });
  worker.on('error', (error) =>
    process.emitWarning(
      `the SQLite checkpoint thread failed (${error.message}); SQLite checkpoints on commit from now on`,
      { code: 'HERALD_CHECKPOINTER' },
    ),
  );
  const gone = new Promise<void>((done) =>
    worker.once('exit', () => {
      exited = true;
      resume();
      // Without the thread (it failed, was stopped by the watchdog or by the
      // store), SQLite checkpoints on commit as it did before: otherwise only
      // the backstop would, at 4 × the restart size of WAL.
      if (db.raw.isOpen) db.raw.exec('PRAGMA wal_autocheckpoint = 1000');
      done();
    }),
  );
  return async () => {
    // Closing the store waits for the thread, whatever else keeps the process alive.
    worker.ref();
    worker.postMessage('stop');
    await gone;
  };
}

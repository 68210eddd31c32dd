// The checkpointer's thread (see checkpointer.ts). Plain JavaScript: a worker
// that loaded Node's TypeScript stripping would cost ~8 MB more of memory.
import { fdatasyncSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { location, fileDescriptor, intervalMs, restartPages } = workerData;
const db = new DatabaseSync(location);
// A checkpoint copies WAL frames straight into the file; this connection caches no pages.
// The RESTART below waits only briefly for readers (the main thread's queries go
// on during the pause); one held up by a reader is tried again later (BACKOFF_MS).
db.exec('PRAGMA cache_size = 16; PRAGMA busy_timeout = 20');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
/** A pass this short left almost nothing to copy: pause the writer now. */
const SHORT_PASS_MS = 2;
const MAX_PASSES = 5;
/** After a RESTART that a reader held up, the writer is not paused again for this long. */
const BACKOFF_MS = 5_000;
let restarting = false;
let backoffUntil = 0;
let synced = '';

/**
 * One PASSIVE checkpoint, then a flush of what it copied. SQLite fsyncs the
 * database file only after a checkpoint that reaches the end of the WAL, which
 * a writer appending all along never lets a PASSIVE one do: the copied pages
 * would stay dirty until the RESTART had to flush them all (~20 ms of pause).
 * The descriptor is the main thread's (see Db.fileDescriptor).
 */
function pass() {
  const result = passive.get();
  const state = `${result.log}:${result.checkpointed}`;
  if (state !== synced) {
    fdatasyncSync(fileDescriptor);
    synced = state;
  }
  return result;
}

function tick() {
  if (restarting || pass().log < restartPages || Date.now() < backoffUntil) return;
  // The writer keeps appending while a pass copies and flushes; each pass
  // leaves less for the next, so the pause has only a few frames left to copy.
  for (let n = 0; n < MAX_PASSES; n++) {
    const started = performance.now();
    pass();
    if (performance.now() - started < SHORT_PASS_MS) break;
  }
  restarting = true;
  parentPort.postMessage('pause');
}

const timer = setInterval(tick, intervalMs);
parentPort.on('message', (message) => {
  if (message === 'paused') {
    // The writer holds its transactions: copy the last frames and fsync; the
    // next write transaction starts the WAL over from its beginning.
    try {
      if (restart.get().busy) backoffUntil = Date.now() + BACKOFF_MS;
    } finally {
      restarting = false;
      parentPort.postMessage('resume');
    }
  } else if (message === 'stop') {
    // A 'paused' answering a pause asked for just before may still be queued: drop it.
    parentPort.removeAllListeners('message');
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});

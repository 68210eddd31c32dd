// The checkpointer's thread (see checkpointer.ts). Plain JavaScript: a worker
// that loaded Node's TypeScript stripping would cost ~8 MB more of memory.
import { closeSync, fdatasyncSync, openSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { location, intervalMs, restartPages } = workerData;
const db = new DatabaseSync(location);
// A checkpoint copies WAL frames straight into the file; this connection caches no pages.
// The RESTART below waits for a write transaction that began before the pause.
db.exec('PRAGMA cache_size = 16; PRAGMA busy_timeout = 1000');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
// SQLite fsyncs the database file only after a checkpoint that reaches the end
// of the WAL, which a writer appending all along never lets a PASSIVE one do:
// the copied pages would stay dirty until the restart had to flush them all
// (~20 ms of pause). Any descriptor of the file flushes its pages.
const file = openSync(location, 'r+');
let synced = -1;
/** A pass this short left almost nothing to copy: pause the writer now. */
const SHORT_PASS_MS = 2;
const MAX_PASSES = 5;
let restarting = false;

/** One PASSIVE checkpoint, then a flush of what it copied (a no-op when nothing was new). */
function pass() {
  const result = passive.get();
  if (result.checkpointed !== synced) {
    fdatasyncSync(file);
    synced = result.checkpointed;
  }
  return result;
}

function tick() {
  if (restarting || pass().log < restartPages) return;
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
      restart.get();
    } finally {
      restarting = false;
      synced = -1;
      parentPort.postMessage('resume');
    }
  } else if (message === 'stop') {
    // A 'paused' answering a pause asked for just before may still be queued: drop it.
    parentPort.removeAllListeners('message');
    clearInterval(timer);
    db.close();
    closeSync(file);
    parentPort.close();
  }
});

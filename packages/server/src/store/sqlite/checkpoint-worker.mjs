// The checkpointer's thread (see checkpointer.ts). Plain JavaScript: a worker
// that loaded Node's TypeScript stripping would cost ~8 MB more of memory.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { location, intervalMs } = workerData;
const db = new DatabaseSync(location);
// A checkpoint copies WAL frames straight into the file; this connection caches no pages.
db.exec('PRAGMA cache_size = 16');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
// With nothing new in the WAL a checkpoint returns at once, without an fsync.
const timer = setInterval(() => checkpoint.get(), intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});

import type { Db } from './database.ts';

interface Waiting<I, O> {
  input: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: calls that arrive in the same turn of the event loop run in
 * one transaction, each inside its own savepoint so one failing call fails
 * alone. With one fsync-free WAL commit per turn instead of one per call, the
 * ingest API stops paying a commit per event under load; alone, a call waits
 * only for the current turn to end (setImmediate).
 */
export function groupCommit<I, O>(db: Db, work: (input: I) => O): (input: I) => Promise<O> {
  let queue: Waiting<I, O>[] = [];

  function flush(): void {
    const held = db.gate.wait();
    if (held) {
      held.then(flush);
      return;
    }
    const batch = queue;
    queue = [];
    const settled: (() => void)[] = [];
    // A lone call needs no savepoint: its transaction is its own.
    const isolate = batch.length > 1;
    try {
      db.transaction(() => {
        for (const item of batch) {
          if (isolate) db.run('SAVEPOINT group_commit');
          try {
            const output = work(item.input);
            if (isolate) db.run('RELEASE group_commit');
            settled.push(() => item.resolve(output));
          } catch (error) {
            if (!isolate) throw error;
            db.run('ROLLBACK TO group_commit');
            db.run('RELEASE group_commit');
            settled.push(() => item.reject(error));
          }
        }
      });
    } catch (error) {
      // The commit failed (or the lone call did): nothing in the batch was stored.
      for (const item of batch) item.reject(error);
      return;
    }
    for (const settle of settled) settle();
  }

  return (input) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (queue.length === 1) setImmediate(flush);
    });
}

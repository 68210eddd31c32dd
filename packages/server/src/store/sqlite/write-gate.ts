/**
 * Holds this process's write transactions for a moment without blocking the
 * event loop: while it is closed, callers that can wait (the ingest group
 * commit, the delivery worker's cycle) queue up instead of taking SQLite's
 * write lock, whose busy handler would sleep on the loop. The checkpoint
 * thread closes it to restart the WAL (see checkpointer.ts).
 */
export class WriteGate {
  #waiting: (() => void)[] | undefined;

  close(): void {
    this.#waiting ??= [];
  }

  open(): void {
    const waiting = this.#waiting ?? [];
    this.#waiting = undefined;
    for (const resume of waiting) resume();
  }

  /** Undefined while open (the caller goes on at once), else a promise of the opening. */
  wait(): Promise<void> | undefined {
    const waiting = this.#waiting;
    if (!waiting) return undefined;
    return new Promise((resolve) => waiting.push(resolve));
  }
}

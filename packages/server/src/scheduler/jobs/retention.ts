import type { Store } from '../../store/store.ts';
import type { Job } from '../runner.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  store: Store;
  /** Events (with their deliveries and attempts) older than this go; 0 keeps everything. */
  retentionDays: number;
  /** Events per delete: small, so each transaction is short and delivery never waits long. */
  batchSize?: number;
  /** Batches per tick at most: a large backlog is worked off over several ticks. */
  maxBatchesPerTick?: number;
}

/**
 * Purges old history in small batches. Deliveries still pending or sending
 * are never touched, whatever their age: the store skips their events.
 */
export function retentionJob({
  store,
  retentionDays,
  batchSize = 500,
  maxBatchesPerTick = 20,
}: RetentionOptions): Job {
  return {
    name: 'retention',
    async run(now) {
      if (retentionDays <= 0) return 0;
      const before = now - retentionDays * DAY_MS;
      let purged = 0;
      for (let batch = 0; batch < maxBatchesPerTick; batch++) {
        const deleted = await store.purgeEvents(before, batchSize);
        purged += deleted;
        if (deleted < batchSize) break;
        // Let the worker and the API have the event loop (and SQLite's write lock) between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return purged;
    },
  };
}

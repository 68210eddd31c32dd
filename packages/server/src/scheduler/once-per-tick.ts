import type { Store } from '../store/store.ts';
import type { TickGuard } from './runner.ts';

/**
 * Runs each job on one node per tick across the cluster: every node's runner
 * asks the database for the (job, tick) row and only the one whose insert
 * wins runs it. Ticks are wall-clock slots of the scheduler interval, so nodes
 * agree on them without talking to each other. With no interval (tests tick
 * by hand) every distinct clock reading is its own tick.
 */
export function oncePerTick(store: Store, intervalMs: number): TickGuard {
  return (job, now) =>
    store.claimJobRun(job.name, intervalMs > 0 ? Math.floor(now / intervalMs) : now, now);
}

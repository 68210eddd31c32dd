/**
 * Where a deduper remembers the webhook ids it has seen. Back it with anything
 * that has an atomic "insert unless present": Redis `SET NX`, a SQL primary key.
 */
export interface DedupeStore {
  /** Records `key` for `ttlMs` unless it is already there; true when this call recorded it. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets `key`, so the next delivery of it is processed again. */
  release(key: string): Promise<void>;
}

/** Longer than Herald's standard retry schedule (about 28 h plus jitter), so retries stay recognised. */
export const DEFAULT_DEDUPE_TTL_MS = 3 * 24 * 60 * 60 * 1000;

/** A store in this process's memory: for one process, tests and development. */
export function memoryDedupeStore(options: { now?: () => number } = {}): DedupeStore {
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  let claimsSinceSweep = 0;
  const sweep = (at: number) => {
    for (const [key, expiresAt] of expiries) if (expiresAt <= at) expiries.delete(key);
  };
  return {
    async claim(key, ttlMs) {
      const at = now();
      // Sweep now and then so a long-running receiver does not grow without bound.
      if (++claimsSinceSweep >= 1000) {
        claimsSinceSweep = 0;
        sweep(at);
      }
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > at) return false;
      expiries.set(key, at + ttlMs);
      return true;
    },
    async release(key) {
      expiries.delete(key);
    },
  };
}

export interface DeduperOptions {
  /** Defaults to an in-memory store. */
  store?: DedupeStore;
  /** How long an id is remembered (ms). Default 3 days. */
  ttl?: number;
}

export interface Deduper {
  /**
   * Runs `work` unless `id` was already processed (or is being processed).
   * When `work` throws, the id is released so the sender's retry runs it again.
   */
  once<T>(
    id: string,
    work: () => Promise<T> | T,
  ): Promise<{ duplicate: true } | { duplicate: false; result: T }>;
  /** True the first time an id is claimed within the ttl; false for a duplicate. */
  claim(id: string): Promise<boolean>;
  release(id: string): Promise<void>;
}

/** Drops repeated deliveries, keyed by `webhook-id` (`event.id`). */
export function createDeduper(options: DeduperOptions = {}): Deduper {
  const store = options.store ?? memoryDedupeStore();
  const ttl = options.ttl ?? DEFAULT_DEDUPE_TTL_MS;
  if (!Number.isFinite(ttl) || ttl <= 0)
    throw new RangeError('ttl must be a positive number of ms');
  const deduper: Deduper = {
    claim: (id) => store.claim(id, ttl),
    release: (id) => store.release(id),
    async once(id, work) {
      if (!(await store.claim(id, ttl))) return { duplicate: true };
      try {
        return { duplicate: false, result: await work() };
      } catch (error) {
        await store.release(id);
        throw error;
      }
    },
  };
  return deduper;
}

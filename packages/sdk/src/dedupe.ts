/**
 * What a store knows about a webhook id: first seen now (`claimed`), being
 * handled by someone (`processing`), or handled already (`done`).
 */
export type ClaimState = 'claimed' | 'processing' | 'done';

/**
 * Where a deduper remembers webhook ids. Back it with anything that has an
 * atomic "insert unless present": Redis `SET NX`, a SQL primary key.
 */
export interface DedupeStore {
  /** Marks `key` as processing for `leaseMs` unless it is known; returns what was known (or `claimed`). */
  claim(key: string, leaseMs: number): Promise<ClaimState>;
  /** Marks `key` as done for `ttlMs`. */
  complete(key: string, ttlMs: number): Promise<void>;
  /** Forgets `key`, so the next delivery of it is processed again. */
  release(key: string): Promise<void>;
}

/** Longer than Herald's standard retry schedule (about 28 h plus jitter), so retries stay recognised. */
export const DEFAULT_DEDUPE_TTL_MS = 3 * 24 * 60 * 60 * 1000;
/** How long a webhook being handled holds its id: a receiver that crashed mid-way lets go after this. */
export const DEFAULT_DEDUPE_LEASE_MS = 5 * 60 * 1000;

/** A store in this process's memory: for one process, tests and development. */
export function memoryDedupeStore(options: { now?: () => number } = {}): DedupeStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { state: 'processing' | 'done'; expiresAt: number }>();
  let claimsSinceSweep = 0;
  const sweep = (at: number) => {
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  };
  return {
    async claim(key, leaseMs) {
      const at = now();
      // Sweep now and then so a long-running receiver does not grow without bound.
      if (++claimsSinceSweep >= 1000) {
        claimsSinceSweep = 0;
        sweep(at);
      }
      const entry = entries.get(key);
      if (entry && entry.expiresAt > at) return entry.state;
      entries.set(key, { state: 'processing', expiresAt: at + leaseMs });
      return 'claimed';
    },
    async complete(key, ttlMs) {
      entries.set(key, { state: 'done', expiresAt: now() + ttlMs });
    },
    async release(key) {
      entries.delete(key);
    },
  };
}

export interface DeduperOptions {
  /** Defaults to an in-memory store. */
  store?: DedupeStore;
  /** How long a handled id is remembered (ms). Default 3 days. */
  ttl?: number;
  /** How long an id being handled is held (ms). Default 5 minutes. */
  lease?: number;
}

export type OnceOutcome<T> =
  | { duplicate: false; result: T }
  /** `processing`: another delivery of the id is being handled right now; it may still fail. */
  | { duplicate: true; processing: boolean };

export interface Deduper {
  /**
   * Runs `work` unless `id` was handled already or is being handled. When
   * `work` throws, the id is released so the sender's retry runs it again.
   */
  once<T>(id: string, work: () => Promise<T> | T): Promise<OnceOutcome<T>>;
  /** Claims an id by hand: `claimed` the first time, `processing` or `done` after. */
  claim(id: string): Promise<ClaimState>;
  /** Marks a claimed id as handled. */
  complete(id: string): Promise<void>;
  /** Forgets an id. */
  release(id: string): Promise<void>;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of ms`);
  }
  return value;
}

/** Drops repeated deliveries, keyed by `webhook-id` (`event.id`). */
export function createDeduper(options: DeduperOptions = {}): Deduper {
  const store = options.store ?? memoryDedupeStore();
  const ttl = positive('ttl', options.ttl ?? DEFAULT_DEDUPE_TTL_MS);
  const lease = positive('lease', options.lease ?? DEFAULT_DEDUPE_LEASE_MS);
  return {
    claim: (id) => store.claim(id, lease),
    complete: (id) => store.complete(id, ttl),
    release: (id) => store.release(id),
    async once(id, work) {
      const state = await store.claim(id, lease);
      if (state !== 'claimed') return { duplicate: true, processing: state === 'processing' };
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work();
      } catch (error) {
        await store.release(id);
        throw error;
      }
      await store.complete(id, ttl);
      return { duplicate: false, result };
    },
  };
}

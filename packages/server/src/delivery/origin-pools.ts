import { Pool } from 'undici';

type PoolOptions = Omit<Pool.Options, 'connections'>;

interface Entry {
  pool: Pool;
  connections: number;
  /** Sockets open now; the pool is dropped when the last one closes, as undici's Agent does. */
  connected: number;
}

/**
 * One keep-alive pool per origin, with as many connections as the largest
 * number asked for there (the sender asks for an endpoint's maxConcurrency),
 * so an endpoint allowed 100 requests in flight really has 100 on the wire
 * instead of queueing behind a fixed pool size. A larger number asked for
 * later gets a larger pool; the smaller one finishes its requests and closes.
 */
export class OriginPools {
  readonly #options: PoolOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  get(origin: string, connections: number): Pool {
    const current = this.#entries.get(origin);
    if (current && current.connections >= connections) return current.pool;
    const pool = new Pool(origin, { ...this.#options, connections });
    const entry: Entry = { pool, connections, connected: 0 };
    const dropIfUnused = () => {
      if (entry.connected > 0 || this.#entries.get(origin) !== entry) return;
      this.#entries.delete(origin);
      void pool.close().catch(() => {});
    };
    pool
      .on('connect', () => {
        entry.connected++;
      })
      .on('disconnect', () => {
        entry.connected--;
        dropIfUnused();
      })
      .on('connectionError', dropIfUnused);
    this.#entries.set(origin, entry);
    if (current) void current.pool.close().catch(() => {});
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.#entries.values()].map((entry) => entry.pool);
    this.#entries.clear();
    await Promise.all(pools.map((pool) => pool.close().catch(() => {})));
  }
}

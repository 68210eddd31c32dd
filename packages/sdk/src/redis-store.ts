import type { DedupeStore } from './dedupe.ts';

/**
 * The one thing the Redis store needs from a client: send a command, get the
 * reply. node-redis clients have it as is (`client.sendCommand`); for ioredis
 * pass `{ sendCommand: (args) => redis.call(args[0], ...args.slice(1)) }`.
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisDedupeStoreOptions {
  /** Prepended to every webhook id. Default `herald:webhook:`. */
  prefix?: string;
}

/** A DedupeStore shared by every process that talks to one Redis: `SET key 1 PX ttl NX`. */
export function redisDedupeStore(
  client: RedisCommandClient,
  options: RedisDedupeStoreOptions = {},
): DedupeStore {
  const prefix = options.prefix ?? 'herald:webhook:';
  return {
    async claim(key, ttlMs) {
      const reply = await client.sendCommand([
        'SET',
        prefix + key,
        '1',
        'PX',
        String(Math.max(1, Math.ceil(ttlMs))),
        'NX',
      ]);
      return reply === 'OK';
    },
    async release(key) {
      await client.sendCommand(['DEL', prefix + key]);
    },
  };
}

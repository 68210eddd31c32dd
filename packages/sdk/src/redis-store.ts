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

const ms = (value: number) => String(Math.max(1, Math.ceil(value)));

/**
 * A DedupeStore shared by every process that talks to one Redis: the key holds
 * `processing` (set with `SET … NX`, so one claimer wins) and then `done`.
 */
export function redisDedupeStore(
  client: RedisCommandClient,
  options: RedisDedupeStoreOptions = {},
): DedupeStore {
  const prefix = options.prefix ?? 'herald:webhook:';
  return {
    async claim(key, leaseMs) {
      // A key that expires between the SET and the GET is simply claimed on the next turn.
      for (;;) {
        const set = await client.sendCommand([
          'SET',
          prefix + key,
          'processing',
          'PX',
          ms(leaseMs),
          'NX',
        ]);
        // Replies may be Buffers (a client mapping strings to them).
        if (String(set) === 'OK') return 'claimed';
        const state = await client.sendCommand(['GET', prefix + key]);
        if (state === null || state === undefined) continue;
        const text = String(state);
        if (text === 'processing' || text === 'done') return text;
        throw new Error(
          `${prefix + key} holds ${JSON.stringify(text.slice(0, 40))}, not a dedupe state: is the prefix shared with other data?`,
        );
      }
    },
    async complete(key, ttlMs) {
      await client.sendCommand(['SET', prefix + key, 'done', 'PX', ms(ttlMs)]);
    },
    async release(key) {
      await client.sendCommand(['DEL', prefix + key]);
    },
  };
}

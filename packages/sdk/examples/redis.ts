import { createServer } from 'node:http';
import { createDeduper, createNodeHandler, redisDedupeStore } from '@herald/sdk';
import { createClient } from 'redis';
import { handle } from './your-app.ts';

const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
await redis.connect();

// Every replica shares one memory of webhook ids: each webhook is handled once.
export const deduper = createDeduper({
  store: redisDedupeStore(redis, { prefix: process.env.DEDUPE_PREFIX ?? 'herald:webhook:' }),
  ttl: 3 * 24 * 60 * 60 * 1000, // longer than Herald retries (ms)
});

export const server = createServer(
  createNodeHandler({
    secret: process.env.HERALD_WEBHOOK_SECRET!,
    deduper,
    onEvent: handle,
  }),
);
server.listen(Number(process.env.PORT ?? 3000), process.env.HOST);

export const close = async () => {
  server.close();
  await redis.close();
};

import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { serveParent } from './child.ts';
import { payload } from './payload.ts';

/**
 * The peer: what a Node team would write without Herald. A BullMQ queue on
 * Redis and a worker that POSTs each job's event with undici, retried by
 * BullMQ on a non-2xx. Completed jobs are dropped (removeOnComplete), the
 * usual production setting, so the peer keeps less than Herald's attempt log.
 */
// BullMQ under ESM wants built clients; a worker blocks on its own connection.
const redis = () =>
  new Redis({
    host: process.env.BENCH_REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.BENCH_REDIS_PORT ?? 6379),
    maxRetriesPerRequest: null,
  });
const name = `herald-bench-${process.pid}-${Date.now()}`;
let queue: Queue | undefined;
let worker: Worker | undefined;
let pool: Pool | undefined;

serveParent(
  {
    async seed(args: { count: number }) {
      queue ??= new Queue(name, { connection: redis() });
      const data = payload();
      for (let done = 0; done < args.count; done += 1000) {
        const n = Math.min(1000, args.count - done);
        await queue.addBulk(
          Array.from({ length: n }, () => ({
            name: 'certificate_completed',
            data,
            opts: { attempts: 8, removeOnComplete: true, removeOnFail: 1000 },
          })),
        );
      }
      return args.count;
    },
    start(args: { url: string; concurrency: number }) {
      const target = new URL(args.url);
      pool = new Pool(target.origin, { connections: args.concurrency });
      worker = new Worker(
        name,
        async (job) => {
          const response = await pool!.request({
            path: `${target.pathname}/${job.id}`,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(job.data),
          });
          await response.body.dump();
          if (response.statusCode < 200 || response.statusCode >= 300)
            throw new Error(`receiver answered ${response.statusCode}`);
        },
        { connection: redis(), concurrency: args.concurrency },
      );
      return true;
    },
    async pause() {
      await worker!.pause();
      return true;
    },
    resume() {
      worker!.resume();
      return true;
    },
    rss: () => process.memoryUsage().rss,
  },
  async () => {
    await worker?.close();
    await queue?.obliterate({ force: true }).catch(() => {});
    await queue?.close();
    await pool?.close();
  },
);

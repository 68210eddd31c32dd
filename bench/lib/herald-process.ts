import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import pino from 'pino';
import { createHerald, type Herald } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config/config.ts';
import { IDEMPOTENCY_WINDOW_MS } from '../../packages/server/src/domain/idempotency.ts';
import { newId } from '../../packages/server/src/domain/ids.ts';
import { serveParent } from './child.ts';
import { PAYLOAD_JSON } from './payload.ts';

/**
 * One Herald node under test: the real composition root with its real HTTP
 * sender, store and API, driven by the bench over IPC. The worker starts only
 * when told, so a backlog can be seeded first.
 */
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const env = process.env;
let herald: Herald | undefined;
let url = '';
// Profiles run from the first `start` to `stop`: delivery, and in steady-sqlite the
// seeding of its second and third drains too (the worker is paused meanwhile).
const profileDir = env.HERALD_BENCH_PROFILE_DIR;
let profiler: Session | undefined;

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const response = await herald!.api.inject({
    method: method as 'POST',
    url: path,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.body}`);
  return response.json();
}

/** Starts the CPU profile if one was asked for and is not running yet. */
async function startProfile(): Promise<void> {
  if (!profileDir || profiler) return;
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}

interface EndpointSpec {
  url: string;
  maxConcurrency?: number;
  timeoutMs?: number;
  retryPolicy?: unknown;
}

serveParent(
  {
    async open(args: { databaseUrl: string; worker?: Record<string, number> }) {
      const config = loadConfig({
        HERALD_DATABASE_URL: args.databaseUrl,
        HERALD_ADMIN_TOKEN: ADMIN_TOKEN,
        HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
        HERALD_PORT: '0',
        HERALD_LOG_LEVEL: 'silent',
      });
      herald = await createHerald({
        config,
        logger: pino({ level: env.HERALD_BENCH_LOG ?? 'silent' }),
        worker: args.worker,
        deliver: false,
      });
      url = await herald.listen();
      return { url, token: ADMIN_TOKEN };
    },
    async setup(args: { endpoints: EndpointSpec[]; orgId?: string }) {
      const orgId =
        args.orgId ?? // The bench payload is not a catalog type: its org accepts free-form types.
        (
          await api('POST', '/v1/orgs', {
            name: 'Bench Org',
            settings: { allowFreeFormTypes: true },
          })
        ).id;
      const ids: string[] = [];
      for (const [index, spec] of args.endpoints.entries()) {
        const created = await api('POST', `/v1/orgs/${orgId}/endpoints`, {
          name: `bench ${index}`,
          maxConcurrency: 100,
          timeoutMs: 5000,
          ...spec,
        });
        ids.push(created.id);
      }
      return { orgId, endpointIds: ids };
    },
    /** Disables endpoints through the API: their pending deliveries are cancelled. */
    async disable(args: { orgId: string; endpointIds: string[] }) {
      for (const id of args.endpointIds)
        await api('PATCH', `/v1/orgs/${args.orgId}/endpoints/${id}`, { enabled: false });
      return true;
    },
    /** Inserts `count` events through the store (not HTTP): a backlog, fast. */
    async seed(args: { orgId: string; count: number }) {
      const store = herald!.store;
      const chunk = 1000;
      for (let done = 0; done < args.count; done += chunk) {
        const n = Math.min(chunk, args.count - done);
        const ingestMany = () => {
          const all: Promise<unknown>[] = [];
          for (let i = 0; i < n; i++) {
            const now = Date.now();
            all.push(
              store.ingest({
                event: {
                  id: newId('evt', now),
                  orgId: args.orgId,
                  type: 'bench.completed',
                  payloadJson: PAYLOAD_JSON,
                  idempotencyKey: null,
                  createdAt: now,
                },
                idempotencyWindowMs: IDEMPOTENCY_WINDOW_MS,
              }),
            );
          }
          return all;
        };
        // SQLite commits concurrent ingests together; PostgreSQL pipelines them on its pool.
        await Promise.all(ingestMany());
        // Lets IPC calls (progress polls) through during a long seed.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return args.count;
    },
    profile: startProfile,
    async start() {
      await startProfile();
      herald!.worker.start();
      return true;
    },
    async pause() {
      await herald!.worker.stop(5_000);
      return true;
    },
    rss: () => process.memoryUsage().rss,
  },
  async () => {
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(
        join(profileDir!, `herald-${Date.now()}-${process.pid}.cpuprofile`),
        JSON.stringify(profile),
      );
    }
    await herald?.close(2000);
  },
);

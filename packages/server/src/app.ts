import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { resolveAdminToken } from './admin-token.ts';
import { buildApi } from './api/server.ts';
import type { Config } from './config/config.ts';
import { createHttpSender, type Sender } from './delivery/sender.ts';
import { createDestinationGuard, type Resolver } from './delivery/ssrf-guard.ts';
import { DeliveryWorker, type WorkerOptions } from './delivery/worker.ts';
import { type Clock, systemClock } from './domain/clock.ts';
import type { HealthPolicy } from './domain/endpoint-health.ts';
import { BUILT_IN_EVENT_TYPES } from './event-types/built-in/index.ts';
import { EventCatalog } from './event-types/catalog.ts';
import { PayloadValidator } from './event-types/validator.ts';
import { createMetrics } from './metrics.ts';
import { certificateExpiryJob } from './scheduler/jobs/certificate-expiry.ts';
import { retentionJob } from './scheduler/jobs/retention.ts';
import { oncePerTick } from './scheduler/once-per-tick.ts';
import { JobRunner } from './scheduler/runner.ts';
import { openEncryptedStore, REDACTED_LOG_PATHS } from './store/encryption/open-encrypted-store.ts';
import type { Store } from './store/store.ts';
import { VERSION } from './version.ts';

export interface HeraldOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  sender?: Sender;
  worker?: Partial<WorkerOptions>;
  /** How host names are resolved for the SSRF guard (tests inject names). */
  resolver?: Resolver;
  /** The built back office served at / (default packages/ui/dist, when built). */
  uiDir?: string;
  /** Start the delivery worker (default true); API-only tests turn it off. */
  deliver?: boolean;
}

export interface Herald {
  api: FastifyInstance;
  store: Store;
  worker: DeliveryWorker;
  /** Timed jobs (retention, certificate expiry, …); tests call `scheduler.tick()` after moving the clock. */
  scheduler: JobRunner;
  /** Set only on the first start without a configured token: show it once. */
  generatedAdminToken?: string;
  /** Starts delivering and serving HTTP; resolves to the address. */
  listen(): Promise<string>;
  /** Stops claiming, lets in-flight requests finish for up to `graceMs`, closes everything. */
  close(graceMs?: number): Promise<void>;
}

const LEASE_SWEEP_MS = 5_000;

function healthPolicy(config: Config): HealthPolicy {
  return {
    breakerThreshold: config.breakerThreshold,
    breakerCooldownMs: config.breakerCooldownMs,
    breakerMaxCooldownMs: Math.max(config.breakerMaxCooldownMs, config.breakerCooldownMs),
    disableAfterMs: config.autoDisableAfterMs,
    disableAfterFailures: config.autoDisableAfterFailures,
  };
}

/** The composition root: the one place Herald's parts are built and wired. */
export async function createHerald(options: HeraldOptions): Promise<Herald> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger =
    options.logger ??
    pino({
      level: config.logLevel,
      redact: {
        paths: REDACTED_LOG_PATHS,
        censor: '[redacted]',
      },
    });
  const store = await openEncryptedStore(config, logger, clock.now());
  await store.seedEventTypes(BUILT_IN_EVENT_TYPES, clock.now());
  const adminToken = await resolveAdminToken(store, config.adminToken);
  const metrics = createMetrics(() => store.queueDepth());
  const destinations = createDestinationGuard(config, options.resolver);
  const workerOptions = {
    batchSize: 100,
    maxInFlight: 512,
    pollIntervalMs: config.pollIntervalMs,
    leaseMarginMs: config.leaseMarginMs,
    identity: { userAgent: `Herald/${VERSION}`, source: config.webhookSource },
    health: healthPolicy(config),
    ...options.worker,
  };
  const sender =
    options.sender ??
    createHttpSender({ guard: destinations, connectionsPerOrigin: workerOptions.maxInFlight });
  const worker = new DeliveryWorker({
    store,
    sender,
    clock,
    logger,
    metrics,
    options: workerOptions,
  });
  // Each job runs on one node per tick, however many nodes share the database.
  const scheduler = new JobRunner({
    clock,
    logger,
    intervalMs: config.schedulerIntervalMs,
    guard: oncePerTick(store, config.schedulerIntervalMs),
  });
  scheduler.register(retentionJob({ store, retentionDays: config.retentionDays }));
  scheduler.register(
    certificateExpiryJob({
      store,
      reminderDays: config.certificateReminderDays,
      wake: () => worker.wake(),
    }),
  );
  const api = await buildApi(
    {
      store,
      clock,
      metrics,
      config,
      version: VERSION,
      adminTokenHash: adminToken.hash,
      destinations,
      catalog: new EventCatalog(store, new PayloadValidator()),
      wake: () => worker.wake(),
    },
    { logger, bodyLimit: config.maxPayloadBytes, uiDir: options.uiDir },
  );

  let sweeper: NodeJS.Timeout | undefined;
  let unwatch: (() => Promise<void>) | undefined;
  return {
    api,
    store,
    worker,
    scheduler,
    generatedAdminToken: adminToken.generated,
    async listen() {
      if (options.deliver !== false) {
        worker.start();
        scheduler.start();
        // Work made due by other nodes (PostgreSQL NOTIFY) wakes this worker at once.
        unwatch = await store.watchDue(
          () => worker.wake(),
          (error) => logger.warn({ err: error }, 'due notifications lost; reconnecting'),
        );
        // Leases of a worker that died elsewhere (PostgreSQL) come back to the queue.
        sweeper = setInterval(() => {
          store.releaseExpiredLeases(clock.now()).then(
            (released) => released > 0 && worker.wake(),
            (error) => logger.error({ err: error }, 'releasing expired leases failed'),
          );
        }, LEASE_SWEEP_MS).unref();
      }
      return api.listen({ port: config.port, host: config.host });
    },
    async close(graceMs = 10_000) {
      clearInterval(sweeper);
      await scheduler.stop();
      await unwatch?.();
      await api.close();
      await worker.stop(graceMs);
      await sender.close();
      await store.close();
    },
  };
}

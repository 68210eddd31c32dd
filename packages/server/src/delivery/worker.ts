import type { Logger } from 'pino';
import { decideOutcome } from '../domain/attempt-outcome.ts';
import type { Clock } from '../domain/clock.ts';
import type { HealthPolicy } from '../domain/endpoint-health.ts';
import { newId } from '../domain/ids.ts';
import type { Metrics } from '../metrics.ts';
import type { AttemptRecord, ClaimedDelivery, Store } from '../store/store.ts';
import { buildRequest } from './request.ts';
import type { Sender } from './sender.ts';

export interface WorkerOptions {
  /** Most deliveries claimed in one query. */
  batchSize: number;
  /** Most requests in flight from this process, across endpoints. */
  maxInFlight: number;
  /** Longest sleep when nothing is due and nothing wakes the worker. */
  pollIntervalMs: number;
  /** Added to an endpoint's timeout to make a claim's lease. */
  leaseMarginMs: number;
  userAgent: string;
  /** Breaker and auto-disable thresholds, applied as attempts are recorded. */
  health?: HealthPolicy;
}

export interface WorkerDeps {
  store: Store;
  sender: Sender;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  options: WorkerOptions;
}

/**
 * Claims due deliveries in batches, sends them concurrently and records the
 * outcomes in batches: one transaction per batch, never one per message.
 * Nothing escapes the loop: a failed store call is logged and retried, and the
 * deliveries involved stay leased until they are recorded or re-claimed.
 */
export class DeliveryWorker {
  readonly #deps: WorkerDeps;
  #running = false;
  #inFlight = 0;
  #pending: AttemptRecord[] = [];
  #flushing: Promise<void> | null = null;
  #wakeUp: (() => void) | null = null;
  #woken = false;
  #loop: Promise<void> | null = null;
  #idle: (() => void) | null = null;

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Something became due (an ingest, a retry, a freed slot): look now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Stops claiming, lets in-flight requests finish for up to `graceMs`, records what finished. */
  async stop(graceMs: number): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.wake();
    await this.#loop;
    if (this.#inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => {
          this.#idle = resolve;
        }),
        new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    await this.#flush();
  }

  async #run(): Promise<void> {
    const { store, clock, logger, options } = this.#deps;
    while (this.#running) {
      this.#woken = false;
      let claimedAll = false;
      const free = options.maxInFlight - this.#inFlight;
      if (free > 0) {
        try {
          const limit = Math.min(options.batchSize, free);
          const claims = await store.claimDue({
            now: clock.now(),
            limit,
            leaseMs: options.leaseMarginMs,
          });
          for (const claim of claims) this.#dispatch(claim);
          claimedAll = claims.length === limit;
        } catch (error) {
          logger.error({ err: error }, 'claiming deliveries failed; retrying');
        }
      }
      if (claimedAll) {
        // More may be due: let the sends start, then claim again.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      // A full worker waits for a recorded batch to wake it, not for a due time it cannot take.
      if (!this.#woken)
        await this.#sleep(free > 0 ? await this.#sleepMs() : options.pollIntervalMs);
    }
  }

  async #sleepMs(): Promise<number> {
    const { store, clock, options, logger } = this.#deps;
    try {
      const due = await store.nextDueAt();
      if (due === undefined) return options.pollIntervalMs;
      return Math.max(0, Math.min(options.pollIntervalMs, due - clock.now()));
    } catch (error) {
      logger.error({ err: error }, 'reading the next due time failed');
      return options.pollIntervalMs;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeUp = () => {
        this.#wakeUp = null;
        done();
      };
    });
  }

  #dispatch(claim: ClaimedDelivery): void {
    this.#inFlight++;
    this.#attempt(claim).then(
      (record) => this.#enqueue(record),
      (error) => {
        // #attempt never rejects; this is the last line of defence for the loop.
        this.#deps.logger.error({ err: error, deliveryId: claim.deliveryId }, 'attempt crashed');
        this.#inFlight--;
      },
    );
  }

  async #attempt(claim: ClaimedDelivery): Promise<AttemptRecord> {
    const { sender, clock, metrics, options } = this.#deps;
    const { event, endpoint, attemptNumber } = claim;
    const startedAt = clock.now();
    const request = buildRequest(event, endpoint, attemptNumber, startedAt, options.userAgent);
    const result = await sender.send(request, endpoint.timeoutMs, startedAt);
    const outcome = decideOutcome(result, attemptNumber, endpoint.retryPolicy, clock.now());
    metrics.attempts.inc({ outcome: outcome.status === 'pending' ? 'retrying' : outcome.status });
    metrics.attemptDuration.observe(result.durationMs / 1000);
    return {
      attemptId: newId('atm', startedAt),
      deliveryId: claim.deliveryId,
      endpointId: endpoint.id,
      attemptNumber,
      result,
      outcome,
    };
  }

  #enqueue(record: AttemptRecord): void {
    this.#pending.push(record);
    // Everything that finishes in the same turn of the event loop shares one transaction.
    if (this.#pending.length === 1 && !this.#flushing) setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#write(batch);
    await this.#flushing;
    this.#flushing = null;
    if (this.#pending.length > 0) setImmediate(() => void this.#flush());
  }

  async #write(batch: AttemptRecord[]): Promise<void> {
    const { store, clock, logger, options } = this.#deps;
    try {
      await store.recordAttempts(batch, clock.now(), options.health);
    } catch (error) {
      logger.error({ err: error, count: batch.length }, 'recording attempts failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, 500));
      this.#pending.unshift(...batch);
      return;
    }
    this.#inFlight -= batch.length;
    if (this.#inFlight === 0) this.#idle?.();
    this.wake();
  }
}

import type { Logger } from 'pino';
import { decideOutcome } from '../domain/attempt-outcome.ts';
import type { Clock } from '../domain/clock.ts';
import type { HealthPolicy } from '../domain/endpoint-health.ts';
import { newId } from '../domain/ids.ts';
import type { Metrics } from '../metrics.ts';
import type { AttemptRecord, ClaimedDelivery, Store } from '../store/store.ts';
import { buildRequest, type SenderIdentity } from './request.ts';
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
  identity: SenderIdentity;
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
 * outcomes in batches. One store call per cycle: the attempts that finished
 * since the last cycle are recorded and the slots they freed are refilled in
 * the same transaction (Store.recordAndClaim), never one per message.
 * Nothing escapes the loop: a failed store call is logged and retried, and the
 * deliveries involved stay leased until they are recorded or re-claimed.
 */
export class DeliveryWorker {
  readonly #deps: WorkerDeps;
  #running = false;
  #inFlight = 0;
  /** Finished attempts not yet recorded; they still count in #inFlight. */
  #pending: AttemptRecord[] = [];
  #flushing: Promise<void> | null = null;
  /** Cycles in a row whose records the store refused. */
  #refused = 0;
  /**
   * Set when a stop's grace ended with attempts in flight: their results are
   * not recorded (the store is closing), and their leases bring them back.
   */
  #detached = false;
  #wakeUp: (() => void) | null = null;
  #woken = false;
  #loop: Promise<void> | null = null;
  /** Bumped by every start: a loop that sees another generation than its own ends. */
  #generation = 0;
  /** Stops waiting for the last in-flight attempt (several, when a restart came in between). */
  readonly #idle = new Set<() => void>();

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Starts the loop. A start while a stop is under way does not wait for it:
   * the new loop begins once the old one has ended (never two cycles at once),
   * and the stop leaves what is in flight to it.
   */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#detached = false;
    this.#loop = this.#run(++this.#generation, this.#loop);
    // A stop waiting for in-flight attempts has been superseded: it returns now.
    this.#releaseStops();
  }

  /** Something became due (an ingest, a retry, a freed slot): look now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /**
   * Stops claiming, lets in-flight requests finish for up to `graceMs`, records
   * what finished. A start that comes in meanwhile takes over: from then on,
   * what is in flight is the new loop's, and this stop returns.
   */
  async stop(graceMs: number): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    const generation = this.#generation;
    const superseded = () => this.#generation !== generation;
    this.wake();
    await this.#loop;
    if (superseded()) return;
    // Without the loop, finished attempts are recorded on their own (#enqueue).
    await this.#flush();
    if (this.#inFlight > 0 && !superseded()) {
      let idle!: () => void;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        idle = resolve;
        this.#idle.add(idle);
        timer = setTimeout(resolve, graceMs);
      });
      this.#idle.delete(idle);
      clearTimeout(timer);
    }
    if (superseded()) return;
    await this.#flush();
    if (this.#inFlight > 0) {
      this.#detached = true;
      this.#deps.logger.warn(
        { inFlight: this.#inFlight },
        'stopped with attempts still in flight: their deliveries come back when their leases end',
      );
    }
  }

  async #run(generation: number, previous: Promise<void> | null): Promise<void> {
    const { store, clock, logger, options } = this.#deps;
    await previous;
    while (this.#running && generation === this.#generation) {
      this.#woken = false;
      const records = this.#pending;
      this.#pending = [];
      // Recording frees the slots of these attempts for this very claim.
      const free = options.maxInFlight - this.#inFlight + records.length;
      const limit = Math.max(0, Math.min(options.batchSize, free));
      let claimedAll = false;
      try {
        const now = clock.now();
        const request = { now, limit, leaseMs: options.leaseMarginMs };
        const claims =
          records.length > 0
            ? await store.recordAndClaim(records, now, options.health, request)
            : limit > 0
              ? await store.claimDue(request)
              : [];
        this.#recorded(records.length);
        this.#refused = 0;
        for (const claim of claims) this.#dispatch(claim);
        claimedAll = limit > 0 && claims.length === limit;
      } catch (error) {
        if (records.length > 0) {
          // Nothing of the cycle was stored.
          await this.#retryLater(records, error);
          continue;
        }
        logger.error({ err: error }, 'claiming deliveries failed; retrying');
      }
      if (claimedAll) {
        // More may be due: let the sends start, then claim again.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      // A full worker waits for a finished attempt to wake it, not for a due time it cannot take.
      if (this.#woken) continue;
      const ms = free > 0 ? await this.#sleepMs() : options.pollIntervalMs;
      // A wake-up while the next due time was read (a finished attempt, an
      // ingest) is the last one until the next cycle: it must not be slept through.
      if (!this.#woken) await this.#sleep(ms);
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
      const done = () => {
        clearTimeout(timer);
        this.#wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeUp = done;
    });
  }

  #dispatch(claim: ClaimedDelivery): void {
    this.#inFlight++;
    this.#attempt(claim).then(
      (record) => this.#enqueue(record),
      (error) => {
        // #attempt never rejects; this is the last line of defence for the loop.
        this.#deps.logger.error({ err: error, deliveryId: claim.deliveryId }, 'attempt crashed');
        this.#recorded(1);
      },
    );
  }

  async #attempt(claim: ClaimedDelivery): Promise<AttemptRecord> {
    const { sender, clock, metrics, options } = this.#deps;
    const { event, endpoint, attemptNumber } = claim;
    const startedAt = clock.now();
    const request = buildRequest(event, endpoint, attemptNumber, startedAt, options.identity);
    const result = await sender.send(request, endpoint.timeoutMs, startedAt);
    const outcome = decideOutcome(result, attemptNumber, endpoint.retryPolicy, clock.now());
    metrics.attempts.inc({ outcome: outcome.status === 'pending' ? 'retrying' : outcome.status });
    metrics.attemptDuration.observe(result.durationMs / 1000);
    return {
      attemptId: newId('atm', startedAt),
      deliveryId: claim.deliveryId,
      endpointId: endpoint.id,
      attemptNumber,
      leaseUntil: claim.leaseUntil,
      result,
      outcome,
    };
  }

  #enqueue(record: AttemptRecord): void {
    if (this.#detached) {
      this.#recorded(1);
      return;
    }
    this.#pending.push(record);
    // Everything that finishes in the same turn of the event loop is recorded in one cycle.
    if (this.#pending.length === 1)
      setImmediate(() => (this.#running ? this.wake() : void this.#flush()));
  }

  #recorded(count: number): void {
    this.#inFlight -= count;
    if (this.#inFlight === 0) this.#releaseStops();
  }

  #releaseStops(): void {
    for (const idle of this.#idle) idle();
  }

  /**
   * Records the store refused go back to be recorded again after a pause:
   * whole the first time, one by one from the second refusal in a row on.
   */
  async #retryLater(records: AttemptRecord[], error: unknown): Promise<void> {
    this.#deps.logger.error(
      { err: error, count: records.length },
      'recording attempts failed; retrying',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = this.#refused++ === 0 ? records : await this.#recordApart(records);
    this.#pending.unshift(...left);
  }

  /**
   * Records a batch the store refused twice attempt by attempt, so that one
   * attempt the database will not take (a response body it refuses, say)
   * holds up neither the others nor the claims behind them. An attempt refused
   * on its own is recorded once more without the receiver's text, which the
   * delivery's state does not need. Once one is refused even so, the store
   * is the trouble, not the attempts: the rest wait for the next cycle untried.
   * Returns what is left to record.
   */
  async #recordApart(records: AttemptRecord[]): Promise<AttemptRecord[]> {
    for (const [index, record] of records.entries()) {
      if (await this.#recordOne(record)) continue;
      const bare = withoutText(record);
      if (!(await this.#recordOne(bare))) return records.slice(index);
      this.#deps.logger.warn(
        { deliveryId: record.deliveryId, attemptId: record.attemptId },
        'attempt recorded without its response text, which the store refused',
      );
    }
    return [];
  }

  async #recordOne(record: AttemptRecord): Promise<boolean> {
    const { store, clock, options } = this.#deps;
    try {
      await store.recordAttempts([record], clock.now(), options.health);
    } catch {
      return false;
    }
    this.#recorded(1);
    return true;
  }

  /** Records without claiming: only while stopping, when the loop no longer runs. */
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
    const { store, clock, options } = this.#deps;
    try {
      await store.recordAttempts(batch, clock.now(), options.health);
    } catch (error) {
      await this.#retryLater(batch, error);
      return;
    }
    this.#refused = 0;
    this.#recorded(batch.length);
  }
}

/** The attempt without the receiver's response body and the error's text. */
function withoutText(record: AttemptRecord): AttemptRecord {
  const { result } = record;
  return {
    ...record,
    result: {
      ...result,
      responseBody: null,
      errorMessage: result.errorMessage === null ? null : 'error text not storable',
    },
  };
}

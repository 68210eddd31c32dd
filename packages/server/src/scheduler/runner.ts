import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';

/**
 * job  one timed piece of work, run once per tick. `run` must be safe to run
 *      on several nodes at once and again after a crash: exactly-once effects
 *      belong in conditional state transitions in the database, never in
 *      memory here.
 */
export interface Job {
  name: string;
  /** Does this tick's work; returns how many items it handled (for the log). */
  run(now: number): Promise<number>;
}

/**
 * Decides whether this node runs `job` for the tick at `now`. The default
 * runs everything everywhere, which is correct for idempotent jobs; a cluster
 * can plug in a database lock to run a job on one node per tick.
 */
export type TickGuard = (job: Job, now: number) => Promise<boolean>;

export interface JobRunnerOptions {
  clock: Clock;
  logger: Logger;
  /** Time between ticks; 0 never ticks on its own (tests call `tick`). */
  intervalMs: number;
  guard?: TickGuard;
}

/** Runs registered jobs one after another every interval. Never throws out of a tick. */
export class JobRunner {
  readonly #options: JobRunnerOptions;
  readonly #jobs: Job[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: JobRunnerOptions) {
    this.#options = options;
  }

  register(job: Job): this {
    this.#jobs.push(job);
    return this;
  }

  get jobs(): readonly Job[] {
    return this.#jobs;
  }

  /** Runs every job once at the clock's now; overlapping calls share one tick. */
  tick(): Promise<void> {
    this.#running ??= this.#runAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  start(): void {
    if (this.#timer || this.#options.intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.tick(), this.#options.intervalMs).unref();
    void this.tick();
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #runAll(): Promise<void> {
    const { clock, logger, guard } = this.#options;
    for (const job of this.#jobs) {
      const now = clock.now();
      try {
        if (guard && !(await guard(job, now))) continue;
        const handled = await job.run(now);
        if (handled > 0) logger.info({ job: job.name, handled }, 'scheduled job ran');
      } catch (error) {
        // The next tick retries: every job's effects are conditional, so a retry is safe.
        logger.error({ err: error, job: job.name }, 'scheduled job failed');
      }
    }
  }
}

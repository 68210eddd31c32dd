/**
 * Per-request deadlines on one coarse timer. AbortSignal.timeout per request
 * costs a timer and ~25 µs per message; here each request gets a plain
 * AbortController and one interval, running only while something is in
 * flight, aborts whatever is past its deadline. A deadline fires at most
 * `tickMs` late.
 */
export class Deadlines {
  readonly #tickMs: number;
  readonly #pending = new Map<AbortController, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(tickMs = 50) {
    this.#tickMs = tickMs;
  }

  /** A signal aborted once `ms` have passed; call `done` when the request ends. */
  start(ms: number): { signal: AbortSignal; done(): void } {
    const controller = new AbortController();
    this.#pending.set(controller, performance.now() + ms);
    this.#timer ??= setInterval(() => this.#sweep(), this.#tickMs).unref();
    return {
      signal: controller.signal,
      done: () => {
        this.#pending.delete(controller);
        this.#stopIfIdle();
      },
    };
  }

  #sweep(): void {
    const now = performance.now();
    for (const [controller, deadline] of this.#pending) {
      if (deadline > now) continue;
      this.#pending.delete(controller);
      controller.abort();
    }
    this.#stopIfIdle();
  }

  #stopIfIdle(): void {
    if (this.#pending.size > 0 || !this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

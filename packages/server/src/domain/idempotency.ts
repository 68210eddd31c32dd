/** How long an idempotency key returns the event it first created. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

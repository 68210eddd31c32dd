import type { ManualClock } from '../../src/domain/clock.ts';
import type { TestHerald } from './herald.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Moves a manual clock forward in steps, waking the worker after each, until
 * `done` holds. The real pause between steps only gives the worker time to act;
 * no assertion depends on it.
 */
export async function advanceUntil(
  t: TestHerald,
  clock: ManualClock,
  stepMs: number,
  done: () => boolean | Promise<boolean>,
  { pauseMs = 30, maxSteps = 400 } = {},
): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    if (await done()) return;
    clock.advance(stepMs);
    t.herald.worker.wake();
    await sleep(pauseMs);
  }
  // The last step may still be at work: give it a moment (not a time budget we assert on).
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (await done()) return;
    await sleep(10);
  }
  throw new Error(`condition not met after ${maxSteps} steps of ${stepMs} ms`);
}

/** Publishes an event through the API and returns its id. */
export async function publish(
  t: TestHerald,
  orgId: string,
  type: string,
  payload: unknown = {},
): Promise<string> {
  const { status, body } = await t.call('POST', `/v1/orgs/${orgId}/events`, { type, payload });
  if (status !== 202) throw new Error(`publishing answered ${status}: ${JSON.stringify(body)}`);
  return body.id;
}

import { Pool } from 'undici';
import type { HeraldNode, ReceiverNode } from './nodes.ts';
import { PAYLOAD_JSON } from './payload.ts';
import { progress, say } from './progress.ts';

/** Throughput over time: seconds since the phase began, deliveries per second. */
export type Series = [number, number][];

export interface Drain {
  delivered: number;
  /** Deliveries per second between the receiver's first and last arrival. */
  perSecond: number;
  seconds: number;
  series: Series;
  timedOut: boolean;
}

export interface WaitOptions {
  label: string;
  timeoutMs: number;
  /** Called at each sample (every 250 ms): RSS probes, a fresh event mid-drain, … */
  onSample?: (delivered: number, elapsedMs: number) => Promise<void> | void;
}

const SAMPLE_MS = 250;

/**
 * The drains compared by ratio (P, the peer, steady-sqlite, fan-out,
 * PostgreSQL) are each measured this many times and the best run kept: on a
 * shared machine a run can only lose to noise, never gain from it.
 */
export const RUNS = 3;

/** `run`, `count` times, one after another: runs that overlapped would share the cores. */
export async function repeated(run: () => Promise<Drain>, count = RUNS): Promise<Drain[]> {
  const runs: Drain[] = [];
  for (let i = 0; i < count; i++) runs.push(await run());
  return runs;
}

/** The fastest run that finished; a timed-out run only if none did. */
export function bestOf(runs: Drain[]): Drain {
  const finished = runs.filter((run) => !run.timedOut);
  return (finished.length > 0 ? finished : runs).reduce((best, run) =>
    run.perSecond > best.perSecond ? run : best,
  );
}

/** The runs' rates, for the progress line. */
export const listed = (runs: Drain[]) =>
  runs.map((run) => Math.round(run.perSecond).toLocaleString('en')).join(', ');

/** Waits until the receiver's `groups` together got `count` requests, sampling throughput. */
export async function waitForDeliveries(
  receiver: ReceiverNode,
  groups: string[] | ((name: string) => boolean),
  count: number,
  options: WaitOptions,
): Promise<Drain> {
  const wanted = typeof groups === 'function' ? groups : (name: string) => groups.includes(name);
  const started = performance.now();
  const series: Series = [];
  let previous = { at: performance.timeOrigin + started, delivered: 0 };
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = 0;
  let delivered = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const stats = await receiver.stats();
    delivered = 0;
    for (const [name, group] of Object.entries(stats.groups)) {
      if (!wanted(name)) continue;
      delivered += group.count;
      firstAt = Math.min(firstAt, group.firstAt);
      lastAt = Math.max(lastAt, group.lastAt);
    }
    const rate = ((delivered - previous.delivered) * 1000) / (stats.at - previous.at);
    series.push([(performance.now() - started) / 1000, Math.round(rate)]);
    previous = { at: stats.at, delivered };
    const elapsedMs = performance.now() - started;
    progress(
      `${options.label}: ${delivered.toLocaleString('en')}/${count.toLocaleString('en')} (${Math.round(rate).toLocaleString('en')}/s)`,
    );
    await options.onSample?.(delivered, elapsedMs);
    if (delivered >= count || elapsedMs > options.timeoutMs) break;
  }
  const seconds = Math.max(0.001, (lastAt - firstAt) / 1000);
  return {
    delivered,
    perSecond: delivered > 1 ? (delivered - 1) / seconds : 0,
    seconds,
    series,
    timedOut: delivered < count,
  };
}

/**
 * P: the ceiling this machine puts on any delivery engine here, raw undici
 * Pool POSTs of the same 1 KiB body to the same receiver, as fast as it goes.
 */
export async function measureP(receiver: ReceiverNode, count: number): Promise<Drain> {
  const pool = new Pool(receiver.url, { connections: 64 });
  let sent = 0;
  const lane = async () => {
    while (sent < count) {
      sent++;
      const response = await pool.request({
        path: `/p/${sent}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: PAYLOAD_JSON,
      });
      await response.body.dump();
    }
  };
  const lanes = Promise.all(Array.from({ length: 128 }, lane));
  const drain = await waitForDeliveries(receiver, ['p'], count, {
    label: 'P (raw undici)',
    timeoutMs: 120_000,
  });
  await lanes;
  await pool.close();
  return drain;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** What a drain delivers: `events` seeded for `orgId`, arriving as `deliveries` in the receiver's `group`. */
export interface Workload {
  orgId: string;
  group: string;
  events: number;
  /** `events` times the endpoints each one goes to. */
  deliveries: number;
}

export const workload = (
  orgId: string,
  group: string,
  events: number,
  endpoints = 1,
): Workload => ({
  orgId,
  group,
  events,
  deliveries: events * endpoints,
});

/**
 * Delivers a workload through the nodes, then stops their workers: a drain
 * measured next runs on code the JIT has already compiled, as the baselines
 * do after their own warm-up. The first node seeds; all of them deliver.
 */
export async function warmUp(
  nodes: HeraldNode[],
  receiver: ReceiverNode,
  work: Workload,
): Promise<void> {
  await receiver.reset();
  await nodes[0]!.seed(work.orgId, work.events);
  await Promise.all(nodes.map((node) => node.start()));
  await waitForDeliveries(receiver, [work.group], work.deliveries, {
    label: `${work.group}: warm-up`,
    timeoutMs: 600_000,
  });
  await Promise.all(nodes.map((node) => node.pause()));
}

/**
 * `count` drains of the workload by warmed-up nodes, in order. Their workers
 * are stopped while each queue is seeded, so every drain is measured alone.
 */
export async function drains(
  nodes: HeraldNode[],
  receiver: ReceiverNode,
  work: Workload,
  label: string,
  count = RUNS,
): Promise<Drain[]> {
  const runs = await repeated(async () => {
    await Promise.all(nodes.map((node) => node.pause()));
    say(`${label}: seeding ${work.events.toLocaleString('en')} events`);
    await nodes[0]!.seed(work.orgId, work.events);
    await receiver.reset();
    await Promise.all(nodes.map((node) => node.start()));
    return waitForDeliveries(receiver, [work.group], work.deliveries, {
      label,
      timeoutMs: 600_000,
    });
  }, count);
  say(`${label}: ${listed(runs)} deliveries/s`);
  return runs;
}

import type { Series } from './measure.ts';
import type { ReceiverNode } from './nodes.ts';

/** One row of the report, in the JSON shape the issue fixes. */
export interface ScenarioResult {
  name: string;
  value: number | null;
  unit: string;
  ratioToP: number | null;
  ratioToPeer: number | null;
  target: string;
  pass: boolean | null;
}

export interface Sizes {
  /**
   * Requests, jobs or deliveries sent before each throughput figure that is
   * compared with another (P, the peer, steady-sqlite, fan-out, PostgreSQL,
   * backlog-drain, both isolation phases) and left out of it: each runs in a
   * fresh process, and a figure over a few seconds would otherwise include
   * its JIT warm-up.
   */
  warmUp: number;
  p: number;
  peer: number;
  steady: number;
  postgres: number;
  fanoutEvents: number;
  ingestSeconds: number;
  latencySeconds: number;
  backlog: number;
  isolationEvents: number;
  soakSeconds: number;
}

export const QUICK: Sizes = {
  warmUp: 5_000,
  p: 20_000,
  peer: 12_000,
  steady: 20_000,
  postgres: 3_000,
  fanoutEvents: 100,
  ingestSeconds: 2,
  latencySeconds: 2,
  backlog: 20_000,
  isolationEvents: 500,
  // Only with --only soak; BENCH_SOAK_SECONDS sets it for any run.
  soakSeconds: 60,
};

/**
 * A machine's P at which QUICK's counts run unscaled (a 2-core machine with
 * P 45,000/s ran them, with 30,000-POST P runs, in 58 s). Below it, the
 * counts shrink by P / QUICK_REFERENCE_P, so a slower machine's quick run
 * keeps under a minute (at P 16–31k/s unscaled: 73–108 s; scaled, 56–60 s);
 * never below MIN_QUICK_SCALE of them, under which drains last too little to
 * compare. Under P ≈ 17,500/s the floor holds, and fixed costs (processes
 * starting, schemas) do not shrink: there it may take longer.
 */
const QUICK_REFERENCE_P = 70_000;
const MIN_QUICK_SCALE = 0.25;
/** The sizes that count requests, jobs, deliveries or events (P's own is measured before). */
const COUNTS = [
  'warmUp',
  'peer',
  'steady',
  'postgres',
  'fanoutEvents',
  'backlog',
  'isolationEvents',
] as const;

/** QUICK's counts for a machine whose P is `P`; sizes a caller set stay as they are. */
export function quickSizesFor(P: number, sizes: Sizes, fixed: Partial<Sizes> = {}): Sizes {
  const scale = Math.max(MIN_QUICK_SCALE, Math.min(1, P / QUICK_REFERENCE_P));
  const scaled = { ...sizes };
  for (const key of COUNTS) if (!(key in fixed)) scaled[key] = Math.round(sizes[key] * scale);
  return scaled;
}

export const FULL: Sizes = {
  warmUp: 5_000,
  p: 100_000,
  peer: 100_000,
  steady: 100_000,
  postgres: 50_000,
  fanoutEvents: 1_000,
  ingestSeconds: 10,
  latencySeconds: 10,
  backlog: 1_000_000,
  isolationEvents: 2_000,
  soakSeconds: 600,
};

export interface Context {
  sizes: Sizes;
  receiver: ReceiverNode;
  /** Raw undici deliveries per second: the machine's ceiling. */
  P: number;
  /** The BullMQ peer's deliveries per second; null when Redis is not there. */
  peer: number | null;
  /** Herald's steady SQLite rate (the median run), once measured: backlog compares to it. */
  steady?: number;
  /** Herald's ingest ceiling, once measured (latency and soak load are fractions of it). */
  ingestMax?: number;
  profileDir?: string;
  /** Throughput over time of the headline scenarios, for the plot. */
  plots: Record<string, Series>;
}

export type Scenario = (ctx: Context) => Promise<ScenarioResult[]>;

export function ratios(ctx: Context, value: number) {
  return {
    ratioToP: round(value / ctx.P, 3),
    ratioToPeer: ctx.peer ? round(value / ctx.peer, 3) : null,
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A row for a scenario that could not run here, saying why. */
export function unavailable(
  name: string,
  unit: string,
  target: string,
  why: string,
): ScenarioResult {
  return {
    name,
    value: null,
    unit,
    ratioToP: null,
    ratioToPeer: null,
    target: `${target} (not available: ${why})`,
    pass: null,
  };
}

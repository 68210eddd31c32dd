import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  type Context,
  FULL,
  QUICK,
  quickSizesFor,
  type Scenario,
  type ScenarioResult,
  type Sizes,
} from './lib/context.ts';
import { startReceiver } from './lib/nodes.ts';
import { lineChart } from './lib/plot.ts';
import { say } from './lib/progress.ts';
import { describeMachine, type Report } from './lib/report.ts';
import { backlog } from './scenarios/backlog.ts';
import { measureCeiling, measurePeer } from './scenarios/baselines.ts';
import { fanout } from './scenarios/fanout.ts';
import { ingestSqlite } from './scenarios/ingest.ts';
import { isolation } from './scenarios/isolation.ts';
import { latency } from './scenarios/latency.ts';
import { steadyPostgres } from './scenarios/postgres.ts';
import { soak } from './scenarios/soak.ts';
import { steadySqlite } from './scenarios/steady.ts';

/** Every scenario in run order; later ones use what earlier ones measured. */
export const SCENARIOS: Record<string, { run: Scenario; full?: boolean }> = {
  'steady-sqlite': { run: steadySqlite },
  'steady-postgres': { run: steadyPostgres },
  ingest: { run: ingestSqlite },
  fanout: { run: fanout },
  latency: { run: latency },
  backlog: { run: backlog },
  isolation: { run: isolation },
  soak: { run: soak, full: true },
};

export interface BenchOptions {
  quick: boolean;
  /** Run only these scenarios (names of SCENARIOS). */
  only?: string[];
  /** Override sizes (the harness test uses tiny ones). */
  sizes?: Partial<Sizes>;
  /** Skip the BullMQ peer. */
  noPeer?: boolean;
  /** Write Herald nodes' CPU profiles here. */
  profileDir?: string;
  /** Where the plots go; none are written without it. */
  plotDir?: string;
}

export async function runBench(options: BenchOptions): Promise<Report> {
  const sizes = { ...(options.quick ? QUICK : FULL), ...options.sizes };
  if (process.env.BENCH_SOAK_SECONDS) sizes.soakSeconds = Number(process.env.BENCH_SOAK_SECONDS);
  const machine = describeMachine();
  const receiver = await startReceiver();
  const ctx: Context = {
    sizes,
    receiver,
    P: 0,
    peer: null,
    profileDir: options.profileDir,
    plots: {},
  };
  const scenarios: ScenarioResult[] = [];
  try {
    await measureCeiling(ctx);
    if (options.quick) {
      ctx.sizes = quickSizesFor(ctx.P, sizes, options.sizes);
      if (JSON.stringify(ctx.sizes) !== JSON.stringify(sizes))
        say(`quick run scaled to this machine: ${JSON.stringify(ctx.sizes)}`);
    }
    if (!options.noPeer) await measurePeer(ctx);
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      if (options.only && !options.only.includes(name)) continue;
      // Full-run-only scenarios run in a quick run only when asked for by name.
      if (scenario.full && options.quick && !options.only) continue;
      say(`${name}: starting`);
      const rows = await scenario.run(ctx).catch((error: Error): ScenarioResult[] => {
        // One broken scenario must not cost the others their numbers.
        say(`${name}: crashed: ${error.stack ?? error.message}`);
        return [
          {
            name,
            value: null,
            unit: 'crashed',
            ratioToP: null,
            ratioToPeer: null,
            target: error.message.split('\n')[0]!,
            pass: false,
          },
        ];
      });
      for (const row of rows)
        say(
          `${row.name}: ${row.value} ${row.unit} → ${row.pass === null ? 'n/a' : row.pass ? 'PASS' : 'FAIL'}`,
        );
      scenarios.push(...rows);
    }
  } finally {
    await receiver.stop();
  }
  if (options.plotDir) {
    mkdirSync(options.plotDir, { recursive: true });
    const { 'soak-rss-MB': soakRss, ...throughput } = ctx.plots;
    writeFileSync(
      join(options.plotDir, 'throughput.svg'),
      lineChart(
        `Deliveries per second over time (${options.quick ? 'quick' : 'full'} run)`,
        'deliveries/s',
        throughput,
      ),
    );
    if (soakRss)
      writeFileSync(
        join(options.plotDir, 'soak-rss.svg'),
        lineChart('Herald RSS during the soak', 'MB', { RSS: soakRss }),
      );
  }
  machine.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  return {
    machine,
    P: { perSecond: Math.round(ctx.P) },
    peer: { perSecond: ctx.peer === null ? null : Math.round(ctx.peer) },
    scenarios,
  };
}

import { type Context, ratios, round, type ScenarioResult } from '../lib/context.ts';
import { bestOf, drains, percentile, warmUp, workload } from '../lib/measure.ts';
import { startHeraldNode } from '../lib/nodes.ts';

/** Steady delivery to one endpoint on SQLite: a seeded queue drained by a warmed-up worker. */
export async function steadySqlite(ctx: Context): Promise<ScenarioResult[]> {
  const count = ctx.sizes.steady;
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  try {
    const { orgId } = await node.setup([{ url: `${ctx.receiver.url}/steady` }]);
    await warmUp([node], ctx.receiver, workload(orgId, 'steady', ctx.sizes.warmUp));
    const runs = await drains(
      [node],
      ctx.receiver,
      workload(orgId, 'steady', count),
      'steady-sqlite',
    );
    const drain = bestOf(runs);
    // What single-run figures (backlog-drain) are compared with, and what the paced
    // scenarios scale from: the typical run, not the best one.
    ctx.steady = percentile(
      runs.map((run) => run.perSecond),
      50,
    );
    ctx.plots['steady-sqlite'] = drain.series;
    const r = ratios(ctx, drain.perSecond);
    return [
      {
        name: 'steady-sqlite',
        value: round(drain.perSecond),
        unit: 'deliveries/s',
        ...r,
        target: '≥ 0.6 P, ≥ 2 × peer',
        pass:
          !drain.timedOut && r.ratioToP >= 0.6 && (r.ratioToPeer === null || r.ratioToPeer >= 2),
      },
    ];
  } finally {
    await node.stop();
  }
}

import { type Context, ratios, round, type ScenarioResult } from '../lib/context.ts';
import { bestOf, drains, warmUp, workload } from '../lib/measure.ts';
import { startHeraldNode } from '../lib/nodes.ts';

const ENDPOINTS = 100;

/**
 * Every event goes to 100 endpoints: deliveries per second across all of them,
 * warmed up and best of RUNS drains like the baselines it is compared with.
 */
export async function fanout(ctx: Context): Promise<ScenarioResult[]> {
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  try {
    const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => ({
      url: `${ctx.receiver.url}/fan/${i}`,
    }));
    const { orgId } = await node.setup(endpoints);
    const warm = Math.ceil(ctx.sizes.warmUp / ENDPOINTS);
    await warmUp([node], ctx.receiver, workload(orgId, 'fan', warm, ENDPOINTS));
    const work = workload(orgId, 'fan', ctx.sizes.fanoutEvents, ENDPOINTS);
    const drain = bestOf(await drains([node], ctx.receiver, work, 'fanout-100'));
    ctx.plots['fanout-100'] = drain.series;
    const r = ratios(ctx, drain.perSecond);
    return [
      {
        name: 'fanout-100',
        value: round(drain.perSecond),
        unit: 'deliveries/s',
        ...r,
        target: '≥ 0.5 P',
        pass: !drain.timedOut && r.ratioToP >= 0.5,
      },
    ];
  } finally {
    await node.stop();
  }
}

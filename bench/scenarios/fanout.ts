import { type Context, ratios, round, type ScenarioResult } from '../lib/context.ts';
import { waitForDeliveries } from '../lib/measure.ts';
import { startHeraldNode } from '../lib/nodes.ts';
import { say } from '../lib/progress.ts';

const ENDPOINTS = 100;

/** Every event goes to 100 endpoints: deliveries per second across all of them. */
export async function fanout(ctx: Context): Promise<ScenarioResult[]> {
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  try {
    const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => ({
      url: `${ctx.receiver.url}/fan/${i}`,
    }));
    const { orgId } = await node.setup(endpoints);
    const total = ctx.sizes.fanoutEvents * ENDPOINTS;
    say(
      `fanout-100: seeding ${ctx.sizes.fanoutEvents} events → ${total.toLocaleString('en')} deliveries`,
    );
    await node.seed(orgId, ctx.sizes.fanoutEvents);
    await ctx.receiver.reset();
    await node.start();
    const drain = await waitForDeliveries(ctx.receiver, ['fan'], total, {
      label: 'fanout-100',
      timeoutMs: 600_000,
    });
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

import { type Context, ratios, round, type ScenarioResult } from '../lib/context.ts';
import { postEvent } from '../lib/load.ts';
import { percentile, waitForDeliveries, warmUp, workload } from '../lib/measure.ts';
import { startHeraldNode } from '../lib/nodes.ts';
import { say } from '../lib/progress.ts';

const MB = 1024 * 1024;

/**
 * A large backlog for one organization drains while another organization's
 * fresh events (sent at a quarter, half and three quarters of the drain)
 * must still arrive in under a second; Herald's RSS is sampled throughout.
 */
export async function backlog(ctx: Context): Promise<ScenarioResult[]> {
  const count = ctx.sizes.backlog;
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  try {
    const backlogOrg = (await node.setup([{ url: `${ctx.receiver.url}/backlog` }])).orgId;
    const freshOrg = (await node.setup([{ url: `${ctx.receiver.url}/fresh` }])).orgId;
    await warmUp([node], ctx.receiver, workload(backlogOrg, 'backlog', ctx.sizes.warmUp));
    say(`backlog: seeding ${count.toLocaleString('en')} pending deliveries`);
    await node.seed(backlogOrg, count);
    await ctx.receiver.reset();
    await node.start();
    const rss: [number, number][] = [];
    const marks = [0.25, 0.5, 0.75];
    let fresh = 0;
    const drain = await waitForDeliveries(ctx.receiver, ['backlog'], count, {
      label: 'backlog',
      timeoutMs: 1_800_000,
      async onSample(delivered, elapsedMs) {
        rss.push([elapsedMs / 1000, (await node.rss()) / MB]);
        if (marks.length > 0 && delivered >= marks[0]! * count) {
          marks.shift();
          fresh++;
          await postEvent(node.url, node.token, freshOrg);
        }
      },
    });
    await waitForDeliveries(ctx.receiver, ['fresh'], fresh, {
      label: 'fresh events',
      timeoutMs: 10_000,
    });
    const freshLatencies = await ctx.receiver.latencies();
    ctx.plots.backlog = drain.series;
    // The first quarter is warm-up (JIT, caches filling); flat means the last quarter is no higher than the second.
    const quarter = Math.max(1, Math.floor(rss.length / 4));
    const early = percentile(
      rss.slice(quarter, 2 * quarter).map(([, mb]) => mb),
      50,
    );
    const late = percentile(
      rss.slice(-quarter).map(([, mb]) => mb),
      50,
    );
    const growth = (late - early) / early;
    const worstFresh =
      freshLatencies.length === fresh ? Math.max(...freshLatencies) : Number.POSITIVE_INFINITY;
    const steady = ctx.steady ?? drain.perSecond;
    const r = ratios(ctx, drain.perSecond);
    return [
      {
        name: 'backlog-drain',
        value: round(drain.perSecond / steady, 2),
        unit: `× steady (${round(drain.perSecond)}/s over ${count.toLocaleString('en')})`,
        ...r,
        target: '≥ 0.8 × steady',
        pass: !drain.timedOut && drain.perSecond >= 0.8 * steady,
      },
      {
        name: 'backlog-rss-growth',
        value: round(growth * 100),
        unit: `% (${round(early)} → ${round(late)} MB)`,
        ratioToP: null,
        ratioToPeer: null,
        target: 'flat: ≤ +20 %',
        pass: growth <= 0.2,
      },
      {
        name: 'backlog-fresh-event',
        value: round(worstFresh),
        unit: `ms (worst of ${fresh})`,
        ratioToP: null,
        ratioToPeer: null,
        target: '< 1000 ms',
        pass: worstFresh < 1000,
      },
    ];
  } finally {
    await node.stop();
  }
}

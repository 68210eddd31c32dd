import { type Context, round, type ScenarioResult } from '../lib/context.ts';
import { pacedIngest } from '../lib/load.ts';
import { percentile, waitForDeliveries } from '../lib/measure.ts';
import { startHeraldNode } from '../lib/nodes.ts';
import { say } from '../lib/progress.ts';

/**
 * Latency from the platform's POST to the receiver's arrival at 10 % of the
 * most Herald sustains (the lower of its ingest and delivery ceilings).
 */
export async function latency(ctx: Context): Promise<ScenarioResult[]> {
  const ceiling = Math.min(ctx.steady ?? ctx.P, ctx.ingestMax || ctx.P);
  const rate = Math.max(10, Math.round(ceiling * 0.1));
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  try {
    const { orgId } = await node.setup([{ url: `${ctx.receiver.url}/lat` }]);
    await node.start();
    say(`latency: warm-up, then ${rate}/s for ${ctx.sizes.latencySeconds} s`);
    const warm = await pacedIngest(node.url, node.token, orgId, rate, 1);
    await waitForDeliveries(ctx.receiver, ['lat'], warm.sent, {
      label: 'latency warm-up',
      timeoutMs: 30_000,
    });
    await ctx.receiver.reset();
    const { sent } = await pacedIngest(node.url, node.token, orgId, rate, ctx.sizes.latencySeconds);
    await waitForDeliveries(ctx.receiver, ['lat'], sent, { label: 'latency', timeoutMs: 30_000 });
    const samples = await ctx.receiver.latencies();
    const p50 = round(percentile(samples, 50), 2);
    const p99 = round(percentile(samples, 99), 2);
    const common = { unit: 'ms', ratioToP: null, ratioToPeer: null };
    return [
      {
        name: 'latency-p50-at-10pct',
        value: p50,
        ...common,
        target: `≤ 5 ms (at ${rate}/s)`,
        pass: p50 <= 5,
      },
      {
        name: 'latency-p99-at-10pct',
        value: p99,
        ...common,
        target: `≤ 25 ms (at ${rate}/s)`,
        pass: p99 <= 25,
      },
    ];
  } finally {
    await node.stop();
  }
}

import { type Context, round, type ScenarioResult } from '../lib/context.ts';
import { bestOf, drains, warmUp, workload } from '../lib/measure.ts';
import { startHeraldNode } from '../lib/nodes.ts';
import { say } from '../lib/progress.ts';

const HEALTHY = 17;
const SLOW = 2; // 10 % of 20: never answer, time out after 1 s
const FAILING = 1; // 5 % of 20: answer 500

/**
 * The healthy endpoints' delivery rate, alone and next to slow and failing
 * ones: warmed up, best of RUNS drains, in each case alike.
 */
async function healthyRate(ctx: Context, withBad: boolean): Promise<number> {
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  try {
    const endpoints: Record<string, unknown>[] = Array.from({ length: HEALTHY }, (_, i) => ({
      url: `${ctx.receiver.url}/iso/${i}`,
    }));
    if (withBad) {
      for (let i = 0; i < SLOW; i++)
        endpoints.push({ url: `${ctx.receiver.auxUrl}/slow/${i}`, timeoutMs: 1000 });
      for (let i = 0; i < FAILING; i++) endpoints.push({ url: `${ctx.receiver.auxUrl}/fail/${i}` });
    }
    const { orgId } = await node.setup(endpoints);
    const label = `isolation (${withBad ? 'with slow and failing' : 'healthy alone'})`;
    const warm = Math.ceil(ctx.sizes.warmUp / HEALTHY);
    await warmUp([node], ctx.receiver, workload(orgId, 'iso', warm, HEALTHY));
    const work = workload(orgId, 'iso', ctx.sizes.isolationEvents, HEALTHY);
    const drain = bestOf(await drains([node], ctx.receiver, work, label));
    return drain.timedOut ? 0 : drain.perSecond;
  } finally {
    await node.stop();
  }
}

export async function isolation(ctx: Context): Promise<ScenarioResult[]> {
  say('failure-isolation: healthy endpoints alone');
  const solo = await healthyRate(ctx, false);
  say('failure-isolation: next to 10 % slow and 5 % failing endpoints');
  const mixed = await healthyRate(ctx, true);
  const value = solo > 0 ? mixed / solo : 0;
  return [
    {
      name: 'failure-isolation',
      value: round(value, 2),
      unit: `× solo (${round(mixed)} vs ${round(solo)}/s)`,
      ratioToP: null,
      ratioToPeer: null,
      target: '≥ 0.8 × solo',
      pass: value >= 0.8,
    },
  ];
}

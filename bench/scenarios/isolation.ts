import { type Context, round, type ScenarioResult } from '../lib/context.ts';
import { bestOf, drains, repeated, type Workload, warmUp, workload } from '../lib/measure.ts';
import { type HeraldNode, startHeraldNode } from '../lib/nodes.ts';
import { say } from '../lib/progress.ts';

const HEALTHY = 17;
const SLOW = 2; // 10 % of 20: never answer, time out after 1 s
const FAILING = 1; // 5 % of 20: answer 500

/** A fresh set of the bad endpoints: 10 % slow, 5 % failing. */
function badEndpoints(ctx: Context): Record<string, unknown>[] {
  const bad: Record<string, unknown>[] = [];
  for (let i = 0; i < SLOW; i++)
    bad.push({ url: `${ctx.receiver.auxUrl}/slow/${i}`, timeoutMs: 1000 });
  for (let i = 0; i < FAILING; i++) bad.push({ url: `${ctx.receiver.auxUrl}/fail/${i}` });
  return bad;
}

/**
 * The healthy endpoints' best drain of RUNS, alone or next to slow and failing
 * ones. Each drain next to bad endpoints gets a fresh set, disabled after it:
 * bad endpoints that had been failing for a while would have their breakers
 * open already, and the drain would only show a breaker holding them.
 */
async function healthyRate(
  ctx: Context,
  node: HeraldNode,
  work: Workload,
  withBad: boolean,
): Promise<number> {
  const label = `isolation (${withBad ? 'with slow and failing' : 'healthy alone'})`;
  const runs = await repeated(async () => {
    const bad = withBad ? (await node.setup(badEndpoints(ctx), work.orgId)).endpointIds : [];
    const [drain] = await drains([node], ctx.receiver, work, label, 1);
    if (bad.length > 0) {
      await node.pause();
      await node.disable(work.orgId, bad);
    }
    return drain!;
  });
  const drain = bestOf(runs);
  return drain.timedOut ? 0 : drain.perSecond;
}

/** One node, warmed up on the healthy endpoints, measures them alone, then next to bad ones. */
export async function isolation(ctx: Context): Promise<ScenarioResult[]> {
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  let solo: number;
  let mixed: number;
  try {
    const healthy = Array.from({ length: HEALTHY }, (_, i) => ({
      url: `${ctx.receiver.url}/iso/${i}`,
    }));
    const { orgId } = await node.setup(healthy);
    const warm = Math.ceil(ctx.sizes.warmUp / HEALTHY);
    await warmUp([node], ctx.receiver, workload(orgId, 'iso', warm, HEALTHY));
    const work = workload(orgId, 'iso', ctx.sizes.isolationEvents, HEALTHY);
    say('failure-isolation: healthy endpoints alone');
    solo = await healthyRate(ctx, node, work, false);
    say('failure-isolation: next to 10 % slow and 5 % failing endpoints');
    mixed = await healthyRate(ctx, node, work, true);
  } finally {
    await node.stop();
  }
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

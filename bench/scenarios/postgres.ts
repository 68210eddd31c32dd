import pg from 'pg';
import { type Context, ratios, round, type ScenarioResult, unavailable } from '../lib/context.ts';
import { bestOf, drains, warmUp, workload } from '../lib/measure.ts';
import { type HeraldNode, startHeraldNode } from '../lib/nodes.ts';
import { say } from '../lib/progress.ts';

const NAME = 'steady-postgres-2-nodes';
const TARGET = '≥ 0.4 P';

/**
 * Two Herald nodes sharing one PostgreSQL database drain one seeded queue,
 * warmed up and best of RUNS drains like the baselines it is compared with.
 * Skipped, saying why, until a `postgres://` store opens here.
 */
export async function steadyPostgres(ctx: Context): Promise<ScenarioResult[]> {
  const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  // A schema of its own per run, dropped at the end: reruns never see old queues.
  const schema = `herald_bench_${process.pid}_${Date.now()}`;
  const databaseUrl = `${serverUrl}${serverUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  const nodes: HeraldNode[] = [];
  try {
    try {
      nodes.push(await startHeraldNode({ databaseUrl, profileDir: ctx.profileDir }));
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      const why = message.includes('unsupported database URL')
        ? 'no PostgreSQL adapter in this build'
        : message;
      say(`${NAME}: skipped (${why})`);
      return [unavailable(NAME, 'deliveries/s', TARGET, why)];
    }
    // The second node starts while the first one sets the organization up.
    const [{ orgId }, second] = await Promise.all([
      nodes[0]!.setup([{ url: `${ctx.receiver.url}/pg` }]),
      startHeraldNode({ databaseUrl }),
    ]);
    nodes.push(second);
    await warmUp(nodes, ctx.receiver, workload(orgId, 'pg', ctx.sizes.warmUp));
    const work = workload(orgId, 'pg', ctx.sizes.postgres);
    const drain = bestOf(await drains(nodes, ctx.receiver, work, NAME));
    ctx.plots[NAME] = drain.series;
    const r = ratios(ctx, drain.perSecond);
    return [
      {
        name: NAME,
        value: round(drain.perSecond),
        unit: 'deliveries/s',
        ...r,
        target: TARGET,
        pass: !drain.timedOut && r.ratioToP >= 0.4,
      },
    ];
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    if (nodes.length > 0) await dropSchema(serverUrl, schema);
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch (error) {
    say(`${NAME}: could not drop schema ${schema}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

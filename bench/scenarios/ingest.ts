import autocannon from 'autocannon';
import { type Context, ratios, round, type ScenarioResult } from '../lib/context.ts';
import { percentile } from '../lib/measure.ts';
import { startHeraldNode } from '../lib/nodes.ts';
import { openLoop } from '../lib/open-loop.ts';
import { payload } from '../lib/payload.ts';
import { say } from '../lib/progress.ts';

/**
 * The ingest API alone (worker off, one subscribed endpoint, so every event
 * also writes its delivery): autocannon at full speed, then an evenly paced
 * open loop at 70 % of that rate for the latency the platform sees.
 */
export async function ingestSqlite(ctx: Context): Promise<ScenarioResult[]> {
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  try {
    const { orgId } = await node.setup([{ url: `${ctx.receiver.url}/ingest` }]);
    const target = {
      url: `${node.url}/v1/orgs/${orgId}/events`,
      method: 'POST' as const,
      headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'bench.completed', payload: payload() }),
      connections: 16,
    };
    say('ingest-sqlite: warm-up');
    await autocannon({ ...target, duration: 1 });
    await node.child.call('profile');
    say(`ingest-sqlite: full speed for ${ctx.sizes.ingestSeconds} s`);
    const full = await autocannon({ ...target, duration: ctx.sizes.ingestSeconds });
    const max = full.non2xx > 0 || full.errors > 0 ? 0 : full.requests.average;
    ctx.ingestMax = max;
    say(`ingest-sqlite: ${Math.round(max)}/s; now at 70 % of it`);
    const rate = Math.max(1, Math.round(max * 0.7));
    const paced = await openLoop(
      {
        origin: node.url,
        path: new URL(target.url).pathname,
        headers: target.headers,
        body: target.body,
        connections: target.connections,
      },
      rate,
      ctx.sizes.ingestSeconds,
    );
    const p99 = round(percentile(paced.latencies, 99), 2);
    const lag = round(percentile(paced.lags, 99), 1);
    return [
      {
        name: 'ingest-sqlite',
        value: round(max),
        unit: 'events/s',
        ...ratios(ctx, max),
        target: '≥ 5,000 events/s',
        pass: max >= 5000,
      },
      {
        name: 'ingest-p99-at-70pct',
        value: p99,
        unit: `ms (open loop at ${rate.toLocaleString('en')}/s; sender lag p99 ${lag} ms)`,
        ratioToP: null,
        ratioToPeer: null,
        target: '≤ 10 ms',
        pass: paced.failed === 0 && p99 <= 10,
      },
    ];
  } finally {
    await node.stop();
  }
}

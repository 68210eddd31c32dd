import { type Context, round, type ScenarioResult } from '../lib/context.ts';
import { pacedIngest } from '../lib/load.ts';
import { startHeraldNode } from '../lib/nodes.ts';
import { progress, say } from '../lib/progress.ts';

const MB = 1024 * 1024;

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Ten minutes of ingest + delivery at a third of Herald's ceiling, RSS sampled every 5 s. */
export async function soak(ctx: Context): Promise<ScenarioResult[]> {
  const seconds = ctx.sizes.soakSeconds;
  const rate = Math.max(10, Math.round(Math.min(ctx.steady ?? ctx.P, ctx.ingestMax || ctx.P) / 3));
  const node = await startHeraldNode({ profileDir: ctx.profileDir });
  try {
    const { orgId } = await node.setup([{ url: `${ctx.receiver.url}/soak` }]);
    await node.start();
    say(`soak: ${rate} events/s for ${seconds} s`);
    const rss: [number, number][] = [];
    const started = performance.now();
    await pacedIngest(node.url, node.token, orgId, rate, seconds, async (sent) => {
      const minutes = (performance.now() - started) / 60_000;
      if (rss.length === 0 || minutes - rss.at(-1)![0] >= 5 / 60) {
        rss.push([minutes, (await node.rss()) / MB]);
        progress(
          `soak: ${Math.round(minutes * 60)}/${seconds} s, ${sent} events, RSS ${Math.round(rss.at(-1)![1])} MB`,
        );
      }
    });
    ctx.plots['soak-rss-MB'] = rss.map(([m, mb]) => [m * 60, Math.round(mb)]);
    const max = Math.max(...rss.map(([, mb]) => mb));
    // The first half holds warm-up; a leak shows as a steady climb in the second.
    const trend = slope(rss.slice(Math.floor(rss.length / 2)));
    const common = { ratioToP: null, ratioToPeer: null };
    return [
      {
        name: 'soak-rss-max',
        value: round(max),
        unit: 'MB',
        ...common,
        target: '≤ 256 MB',
        pass: max <= 256,
      },
      {
        name: 'soak-rss-trend',
        value: round(trend, 2),
        unit: 'MB/min (second half)',
        ...common,
        target: 'no growth: ≤ 1 MB/min',
        pass: trend <= 1,
      },
    ];
  } finally {
    await node.stop();
  }
}

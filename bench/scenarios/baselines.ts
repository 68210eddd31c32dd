import type { Context } from '../lib/context.ts';
import { measureP, waitForDeliveries } from '../lib/measure.ts';
import { redisReachable, startPeer } from '../lib/nodes.ts';
import { say } from '../lib/progress.ts';

/** P, the machine's HTTP ceiling, measured on the same receiver and body as everything else. */
export async function measureCeiling(ctx: Context): Promise<void> {
  await ctx.receiver.reset();
  const drain = await measureP(ctx.receiver, ctx.sizes.p);
  ctx.P = drain.perSecond;
  ctx.plots['P (raw undici)'] = drain.series;
  say(`P: ${Math.round(ctx.P).toLocaleString('en')} POSTs/s`);
}

/** The peer: BullMQ on Redis with an undici worker, draining the same number of seeded events. */
export async function measurePeer(ctx: Context): Promise<void> {
  if (!(await redisReachable())) {
    say('peer: Redis is not reachable on 127.0.0.1:6379; ratios to the peer are left out');
    ctx.peer = null;
    return;
  }
  const peer = await startPeer();
  try {
    say(`peer: seeding ${ctx.sizes.peer.toLocaleString('en')} BullMQ jobs`);
    await peer.seed(ctx.sizes.peer);
    await ctx.receiver.reset();
    await peer.start(`${ctx.receiver.url}/peer`, 64);
    const drain = await waitForDeliveries(ctx.receiver, ['peer'], ctx.sizes.peer, {
      label: 'peer (BullMQ)',
      timeoutMs: 600_000,
    });
    ctx.peer = drain.perSecond;
    ctx.plots['peer (BullMQ)'] = drain.series;
    say(`peer: ${Math.round(ctx.peer).toLocaleString('en')} deliveries/s`);
  } finally {
    await peer.stop();
  }
}

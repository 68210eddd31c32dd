import type { Context } from '../lib/context.ts';
import { bestOf, listed, measureP, repeated, waitForDeliveries } from '../lib/measure.ts';
import { redisReachable, startPeer } from '../lib/nodes.ts';
import { say } from '../lib/progress.ts';

/** P, the machine's HTTP ceiling, measured on the same receiver and body as everything else. */
export async function measureCeiling(ctx: Context): Promise<void> {
  await measureP(ctx.receiver, ctx.sizes.warmUp);
  const runs = await repeated(async () => {
    await ctx.receiver.reset();
    return measureP(ctx.receiver, ctx.sizes.p);
  });
  const best = bestOf(runs);
  ctx.P = best.perSecond;
  ctx.plots['P (raw undici)'] = best.series;
  say(`P: ${Math.round(ctx.P).toLocaleString('en')} POSTs/s (best of ${listed(runs)})`);
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
    await peer.seed(ctx.sizes.warmUp);
    await ctx.receiver.reset();
    await peer.start(`${ctx.receiver.url}/peer`, 64);
    await waitForDeliveries(ctx.receiver, ['peer'], ctx.sizes.warmUp, {
      label: 'peer (BullMQ): warm-up',
      timeoutMs: 600_000,
    });
    const runs = await repeated(async () => {
      // A paused worker leaves the seeded queue whole, so the drain is measured alone.
      await peer.pause();
      say(`peer: seeding ${ctx.sizes.peer.toLocaleString('en')} BullMQ jobs`);
      await peer.seed(ctx.sizes.peer);
      await ctx.receiver.reset();
      await peer.resume();
      return waitForDeliveries(ctx.receiver, ['peer'], ctx.sizes.peer, {
        label: 'peer (BullMQ)',
        timeoutMs: 600_000,
      });
    });
    const best = bestOf(runs);
    ctx.peer = best.perSecond;
    ctx.plots['peer (BullMQ)'] = best.series;
    say(
      `peer: ${Math.round(ctx.peer).toLocaleString('en')} deliveries/s (best of ${listed(runs)})`,
    );
  } finally {
    await peer.stop();
  }
}

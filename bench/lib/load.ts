import { Pool } from 'undici';
import { payload } from './payload.ts';

/**
 * Posts events to Herald's ingest API at a steady rate, each carrying its
 * send time so the receiver can time accepted → delivered.
 */
export async function pacedIngest(
  heraldUrl: string,
  token: string,
  orgId: string,
  perSecond: number,
  seconds: number,
  onTick?: (sent: number) => Promise<void> | void,
): Promise<{ sent: number; failed: number }> {
  const pool = new Pool(heraldUrl, { connections: 8 });
  const path = `/v1/orgs/${orgId}/events`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let sent = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const one = async () => {
    const body = JSON.stringify({
      type: 'bench.completed',
      payload: payload(performance.timeOrigin + performance.now()),
    });
    const response = await pool.request({ path, method: 'POST', headers, body });
    await response.body.dump();
    if (response.statusCode !== 202) failed++;
  };
  let lastTick = 0;
  for (;;) {
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= seconds) break;
    const due = Math.floor(elapsed * perSecond);
    while (sent < due) {
      sent++;
      const p = one().catch(() => {
        failed++;
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    if (onTick && elapsed - lastTick >= 1) {
      lastTick = elapsed;
      await onTick(sent);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
  await pool.close();
  return { sent, failed };
}

/** One event, stamped with its send time; resolves once Herald accepted it. */
export async function postEvent(heraldUrl: string, token: string, orgId: string): Promise<void> {
  const response = await fetch(`${heraldUrl}/v1/orgs/${orgId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'bench.completed',
      payload: payload(performance.timeOrigin + performance.now()),
    }),
  });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
}

import { Pool } from 'undici';

export interface OpenLoopTarget {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
}

export interface OpenLoopResult {
  sent: number;
  failed: number;
  /** Per request, ms from the moment it was handed to the client to its whole response. */
  latencies: number[];
  /** Per request, ms it left after its slot in the schedule (the generator's own lag). */
  lags: number[];
}

/**
 * POSTs at an even `perSecond` for `seconds`, open loop: request i is sent at
 * its slot (start + i / perSecond) whether or not earlier ones were answered,
 * so a stall in the server shows in every request sent during it (queued on
 * the pool's connections) instead of pausing the load, as a closed loop would.
 * autocannon's `overallRate` is no substitute: it lets each connection send
 * its per-second quota back to back from the top of each second, i.e. full
 * speed for 70 % of every second and idle for the rest.
 */
export async function openLoop(
  target: OpenLoopTarget,
  perSecond: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const pool = new Pool(target.origin, { connections: target.connections });
  const total = Math.round(perSecond * seconds);
  const latencies: number[] = [];
  const lags: number[] = [];
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  // undici's dispatch with a handler that only notes the status and the end:
  // request() and its body stream cost the generator ~150 µs of CPU per request,
  // this ~90, i.e. ~0.3 of a core less at 5,000/s on the two cores it shares
  // with the server it measures.
  const one = () =>
    new Promise<void>((resolve) => {
      const sentAt = performance.now();
      let status = 0;
      pool.dispatch(
        { method: 'POST', path: target.path, headers: target.headers, body: target.body },
        {
          onRequestStart() {},
          onResponseStart(_controller, statusCode) {
            status = statusCode;
          },
          onResponseData() {},
          onResponseEnd() {
            if (status >= 300) failed++;
            else latencies.push(performance.now() - sentAt);
            resolve();
          },
          onResponseError() {
            failed++;
            resolve();
          },
        },
      );
    });
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    for (let due = started + (sent * 1000) / perSecond; sent < total && due <= now; ) {
      lags.push(now - due);
      sent++;
      const request = one();
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      due = started + (sent * 1000) / perSecond;
    }
    // A 1 ms timer is as fine as Node schedules; requests due meanwhile go out together.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  await pool.close();
  return { sent, failed, latencies, lags };
}

import type { EndpointActivity } from '../../domain/types.ts';
import { foldBuckets } from '../activity-buckets.ts';
import type { ActivityWindow } from '../store.ts';
import type { Queryable } from './database.ts';

const IN_WINDOW = `
  FROM attempts a
  WHERE a.endpoint_id = $1 AND a.started_at >= $2 AND a.started_at < $3`;
const SUCCEEDED = 'a.error IS NULL AND a.status_code BETWEEN 200 AND 299';

/** The PostgreSQL twin of sqlite/endpoint-activity.ts: buckets and percentiles in SQL. */
export async function endpointActivity(
  db: Queryable,
  id: string,
  window: ActivityWindow,
): Promise<EndpointActivity> {
  const { since, until, bucketMs } = window;
  const { rows } = await db.query<{ bucket: number; succeeded: number; failed: number }>(
    `SELECT (a.started_at - $2::bigint) / $4::bigint AS bucket,
            count(*) FILTER (WHERE coalesce(${SUCCEEDED}, false)) AS succeeded,
            count(*) FILTER (WHERE NOT coalesce(${SUCCEEDED}, false)) AS failed
     ${IN_WINDOW} GROUP BY 1`,
    [id, since, until, bucketMs],
  );
  const { buckets, succeeded, failed } = foldBuckets(rows, since, until, bucketMs);
  if (succeeded + failed === 0)
    return { since, until, bucketMs, succeeded, failed, buckets, latencyMs: null };
  // Nearest-rank percentiles, the same definition as the SQLite adapter's.
  const { rows: latency } = await db.query<{ p50: number; p90: number; p99: number }>(
    `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY a.duration_ms) AS p50,
            percentile_disc(0.9) WITHIN GROUP (ORDER BY a.duration_ms) AS p90,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY a.duration_ms) AS p99
     ${IN_WINDOW}`,
    [id, since, until],
  );
  const { p50, p90, p99 } = latency[0];
  return {
    since,
    until,
    bucketMs,
    succeeded,
    failed,
    buckets,
    latencyMs: { p50: Number(p50), p90: Number(p90), p99: Number(p99) },
  };
}

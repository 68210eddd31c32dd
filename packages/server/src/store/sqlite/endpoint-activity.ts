import type { EndpointActivity } from '../../domain/types.ts';
import { foldBuckets } from '../activity-buckets.ts';
import type { ActivityWindow } from '../store.ts';
import type { Db } from './database.ts';

const IN_WINDOW = `
  FROM attempts a
  WHERE a.endpoint_id = ?1 AND a.started_at >= ?2 AND a.started_at < ?3`;
const SUCCEEDED = 'a.error IS NULL AND a.status_code BETWEEN 200 AND 299';

/** Buckets and latency percentiles of one endpoint's attempts, aggregated in SQL. */
export function endpointActivity(db: Db, id: string, window: ActivityWindow): EndpointActivity {
  const { since, until, bucketMs } = window;
  const rows = db.all<{ bucket: number; succeeded: number; failed: number }>(
    `SELECT CAST((a.started_at - ?2) / ?4 AS INTEGER) AS bucket,
            sum(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END) AS succeeded,
            sum(CASE WHEN ${SUCCEEDED} THEN 0 ELSE 1 END) AS failed
     ${IN_WINDOW} GROUP BY bucket`,
    id,
    since,
    until,
    bucketMs,
  );
  const { buckets, succeeded, failed } = foldBuckets(rows, since, until, bucketMs);
  const total = succeeded + failed;
  const rank = (p: number) =>
    Number(
      db.get<{ d: number }>(
        `SELECT a.duration_ms AS d ${IN_WINDOW} ORDER BY a.duration_ms LIMIT 1 OFFSET ?4`,
        id,
        since,
        until,
        Math.max(0, Math.ceil(p * total) - 1),
      )?.d ?? 0,
    );
  const latencyMs = total === 0 ? null : { p50: rank(0.5), p90: rank(0.9), p99: rank(0.99) };
  return { since, until, bucketMs, succeeded, failed, buckets, latencyMs };
}

/** One row of a dialect's per-bucket attempt counts (drivers may hand back strings). */
export interface BucketRow {
  bucket: number | string;
  succeeded: number | string;
  failed: number | string;
}

/** Lays the counted rows onto every bucket of the window (empty ones included) and totals them. */
export function foldBuckets(rows: BucketRow[], since: number, until: number, bucketMs: number) {
  const count = Math.ceil((until - since) / bucketMs);
  const buckets = Array.from({ length: count }, (_, i) => ({
    start: since + i * bucketMs,
    succeeded: 0,
    failed: 0,
  }));
  let succeeded = 0;
  let failed = 0;
  for (const row of rows) {
    const bucket = buckets[Number(row.bucket)];
    if (bucket) {
      bucket.succeeded = Number(row.succeeded);
      bucket.failed = Number(row.failed);
    }
    succeeded += Number(row.succeeded);
    failed += Number(row.failed);
  }
  return { buckets, succeeded, failed };
}

-- herald:no-transaction
-- A claim's due-time queries (an endpoint's earliest pending delivery, its
-- first due ones) must have one index to choose from: the one by due time.
-- Two other indexes could answer them too (the one by age, on the same
-- predicate, and the one by endpoint and status), and a planner whose
-- statistics predate a burst (a queue filled since the last ANALYZE, or a
-- generic plan made then) rates all three at one row and took one of those:
-- each claim then read and sorted every pending delivery of the endpoint
-- (20 ms at 8,500, growing with the backlog) instead of the first few.

-- Outside a transaction (see migrate.ts), each index is built CONCURRENTLY,
-- before the one it replaces is dropped: writers to deliveries are never
-- blocked, and its readers always have an index.

-- The index by age gains a clause that only the oldest-first queries state
-- (AGE_ORDERED in queue.ts; always true). It is built under a new name, then
-- takes the old one's.
CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_pending_age_0060 ON deliveries (endpoint_id, id) WHERE status = 'pending' AND attempt_count >= 0;
DROP INDEX CONCURRENTLY IF EXISTS deliveries_pending_age;
ALTER INDEX IF EXISTS deliveries_pending_age_0060 RENAME TO deliveries_pending_age;

-- The index by endpoint and status now holds settled deliveries only: pending
-- and sending ones have their own partial indexes. A claim no longer adds an
-- entry to it either (an UPDATE that changes an indexed column adds one to
-- every index whose predicate the new row meets).
CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_endpoint_settled ON deliveries (endpoint_id, status) WHERE status IN ('delivered', 'failed', 'cancelled');
DROP INDEX CONCURRENTLY IF EXISTS deliveries_endpoint_status;

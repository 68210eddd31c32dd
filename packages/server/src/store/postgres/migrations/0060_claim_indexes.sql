-- A claim's due-time queries (an endpoint's earliest pending delivery, its
-- first due ones) must have one index to choose from: the one by due time.
-- Two other indexes could answer them too (the one by age, on the same
-- predicate, and the one by endpoint and status), and a planner whose
-- statistics predate a burst (a queue filled since the last ANALYZE, or a
-- generic plan made then) rates all three at one row and took one of those:
-- each claim then read and sorted every pending delivery of the endpoint
-- (20 ms at 8,500, growing with the backlog) instead of the first few.

-- The index by age gains a clause that only the oldest-first queries state
-- (AGE_ORDERED in queue.ts; always true).
DROP INDEX deliveries_pending_age;
CREATE INDEX deliveries_pending_age ON deliveries (endpoint_id, id) WHERE status = 'pending' AND attempt_count >= 0;

-- The index by endpoint and status now holds settled deliveries only: pending
-- and sending ones have their own partial indexes. A claim no longer adds an
-- entry to it either (an UPDATE that changes an indexed column adds one to
-- every index whose predicate the new row meets).
DROP INDEX deliveries_endpoint_status;
CREATE INDEX deliveries_endpoint_settled ON deliveries (endpoint_id, status) WHERE status IN ('delivered', 'failed', 'cancelled');

-- herald:no-transaction
-- The oldest-first queries (AGE_ORDERED in queue.ts) ask for an endpoint's
-- pending deliveries in id order, which the primary key gives too. With
-- statistics taken while a burst was all pending, then half of it delivered,
-- the planner rated a walk of the primary key (in heap order, pending rows
-- taken as spread evenly) cheaper than the index by age, and WAITING's
-- subquery did so even with statistics taken after the drain: it read past
-- every settled delivery older than the endpoint's first pending one (10,000
-- rows an endpoint, 3.7–7.5 ms a claim, 2.8–4.9 ms for WAITING). The index by
-- age now orders its ids under the POSIX collation, the same byte order as the
-- ids' C (so the same age order), and the queries ask for that order: no other
-- index gives it. Ordering by COLLATE "C" would not do: the id column is C
-- already, so the primary key gives that order too. Nodes still on the older
-- code ask for plain id order, which no index by age gives any more: their
-- oldest-first queries walk the primary key until they are upgraded.

-- Built under a new name, then takes the old one's, as in 0060.
CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_pending_age_0071 ON deliveries (endpoint_id, id COLLATE "POSIX") WHERE status = 'pending' AND attempt_count >= 0;
DROP INDEX CONCURRENTLY IF EXISTS deliveries_pending_age;
ALTER INDEX IF EXISTS deliveries_pending_age_0071 RENAME TO deliveries_pending_age;

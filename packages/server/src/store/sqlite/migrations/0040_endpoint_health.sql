-- Endpoint health (issue 7): limits, the reason an endpoint was disabled, the
-- circuit breaker and the per-second rate window. Kept on the endpoint row so
-- every node reads and updates one shared state inside its claim/record
-- transaction.
ALTER TABLE endpoints ADD COLUMN rate_limit_per_second INTEGER;
ALTER TABLE endpoints ADD COLUMN ordering TEXT NOT NULL DEFAULT 'none';
ALTER TABLE endpoints ADD COLUMN disabled_reason TEXT;
ALTER TABLE endpoints ADD COLUMN disabled_at INTEGER;
ALTER TABLE endpoints ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN consecutive_failed_deliveries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN failing_since INTEGER;
ALTER TABLE endpoints ADD COLUMN circuit_state TEXT NOT NULL DEFAULT 'closed';
ALTER TABLE endpoints ADD COLUMN circuit_retry_at INTEGER;
ALTER TABLE endpoints ADD COLUMN circuit_cooldown_ms INTEGER;
ALTER TABLE endpoints ADD COLUMN rate_window_start INTEGER;
ALTER TABLE endpoints ADD COLUMN rate_window_count INTEGER NOT NULL DEFAULT 0;
-- Probes, FIFO heads and the drained backlog are picked oldest first.
CREATE INDEX deliveries_pending_age ON deliveries (endpoint_id, id) WHERE status = 'pending';

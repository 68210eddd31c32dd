-- Endpoint health (issue 7), twin of the SQLite migration: limits, the reason an
-- endpoint was disabled, the circuit breaker and the per-second rate window, on
-- the endpoint row so every node reads and changes one state under the
-- endpoint's row lock.
ALTER TABLE endpoints
  ADD COLUMN rate_limit_per_second INTEGER,
  ADD COLUMN ordering TEXT NOT NULL DEFAULT 'none',
  ADD COLUMN disabled_reason TEXT,
  ADD COLUMN disabled_at BIGINT,
  ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN consecutive_failed_deliveries INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN failing_since BIGINT,
  ADD COLUMN circuit_state TEXT NOT NULL DEFAULT 'closed',
  ADD COLUMN circuit_retry_at BIGINT,
  ADD COLUMN circuit_cooldown_ms BIGINT,
  ADD COLUMN rate_window_start BIGINT,
  ADD COLUMN rate_window_count INTEGER NOT NULL DEFAULT 0;
-- Probes, FIFO heads and the drained backlog are picked oldest first.
CREATE INDEX deliveries_pending_age ON deliveries (endpoint_id, id) WHERE status = 'pending';

/**
 * True, in SQL both dialects read, for an endpoint row (aliased `e`) whose
 * health is not the default (domain HEALTHY): a success must then reset it.
 * Every health column is here; the store tests set each one off alone.
 */
export const NOT_HEALTHY = `(e.consecutive_failures <> 0 OR e.consecutive_failed_deliveries <> 0
  OR e.failing_since IS NOT NULL OR e.circuit_state <> 'closed' OR e.circuit_retry_at IS NOT NULL
  OR e.circuit_cooldown_ms IS NOT NULL)`;

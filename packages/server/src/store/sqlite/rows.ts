import type { ClaimCandidate, EndpointOrdering } from '../../domain/claim-plan.ts';
import type { CircuitState, DisabledReason, EndpointHealth } from '../../domain/endpoint-health.ts';
import {
  type Attempt,
  DEFAULT_ORG_SETTINGS,
  type Delivery,
  type Endpoint,
  type HeraldEvent,
  type Organization,
} from '../../domain/types.ts';

export interface OrgRow {
  id: string;
  name: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface EndpointRow {
  id: string;
  org_id: string;
  name: string;
  url: string;
  event_types: string | null;
  enabled: number;
  auth: string | null;
  headers: string;
  timeout_ms: number;
  max_concurrency: number;
  retry_policy: string;
  payload_format: string;
  secret: string;
  previous_secrets: string;
  created_at: number;
  updated_at: number;
  rate_limit_per_second: number | null;
  ordering: string;
  disabled_reason: string | null;
  disabled_at: number | null;
  consecutive_failures: number;
  consecutive_failed_deliveries: number;
  failing_since: number | null;
  circuit_state: string;
  circuit_retry_at: number | null;
  circuit_cooldown_ms: number | null;
  rate_window_start: number | null;
  rate_window_count: number;
}

export interface EventRow {
  id: string;
  org_id: string;
  type: string;
  payload: string;
  idempotency_key: string | null;
  created_at: number;
}

export interface DeliveryRow {
  id: string;
  org_id: string;
  event_id: string;
  endpoint_id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptRow {
  id: string;
  delivery_id: string;
  number: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  error_message: string | null;
  response_body: string | null;
}

export const toOrg = (row: OrgRow): Organization => ({
  id: row.id,
  name: row.name,
  settings: { ...DEFAULT_ORG_SETTINGS, ...JSON.parse(row.settings) },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toEndpoint = (row: EndpointRow): Endpoint => ({
  id: row.id,
  orgId: row.org_id,
  name: row.name,
  url: row.url,
  eventTypes: row.event_types === null ? null : JSON.parse(row.event_types),
  enabled: row.enabled === 1,
  auth: row.auth === null ? null : JSON.parse(row.auth),
  headers: JSON.parse(row.headers),
  timeoutMs: row.timeout_ms,
  maxConcurrency: row.max_concurrency,
  retryPolicy: JSON.parse(row.retry_policy),
  payloadFormat: row.payload_format as Endpoint['payloadFormat'],
  secret: row.secret,
  previousSecrets: JSON.parse(row.previous_secrets),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  rateLimitPerSecond: row.rate_limit_per_second,
  ordering: row.ordering as EndpointOrdering,
  disabledReason: row.disabled_reason as DisabledReason | null,
  disabledAt: row.disabled_at,
  health: toHealth(row),
});

export const toHealth = (
  row: Pick<
    EndpointRow,
    | 'consecutive_failures'
    | 'consecutive_failed_deliveries'
    | 'failing_since'
    | 'circuit_state'
    | 'circuit_retry_at'
    | 'circuit_cooldown_ms'
  >,
): EndpointHealth => ({
  consecutiveFailures: row.consecutive_failures,
  consecutiveFailedDeliveries: row.consecutive_failed_deliveries,
  failingSince: row.failing_since,
  circuit: row.circuit_state as CircuitState,
  circuitRetryAt: row.circuit_retry_at,
  circuitCooldownMs: row.circuit_cooldown_ms,
});

export const toEvent = (row: EventRow): HeraldEvent => ({
  id: row.id,
  orgId: row.org_id,
  type: row.type,
  payloadJson: row.payload,
  idempotencyKey: row.idempotency_key,
  createdAt: row.created_at,
});

export const toDelivery = (row: DeliveryRow): Delivery => ({
  id: row.id,
  orgId: row.org_id,
  eventId: row.event_id,
  endpointId: row.endpoint_id,
  eventType: row.event_type,
  status: row.status as Delivery['status'],
  attemptCount: row.attempt_count,
  nextAttemptAt: row.next_attempt_at,
  lastStatusCode: row.last_status_code,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toAttempt = (row: AttemptRow): Attempt => ({
  id: row.id,
  deliveryId: row.delivery_id,
  number: row.number,
  startedAt: row.started_at,
  durationMs: row.duration_ms,
  statusCode: row.status_code,
  error: row.error as Attempt['error'],
  errorMessage: row.error_message,
  responseBody: row.response_body,
});

/** Cuts a page from `limit + 1` rows fetched newest first; the cursor is the last id shown. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T) {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { data: shown.map(map), nextCursor: more ? shown[shown.length - 1].id : null };
}

/** What the claim reads per candidate endpoint: its limits and state, in-flight count and earliest due time. */
export type CandidateRow = Pick<
  EndpointRow,
  | 'id'
  | 'max_concurrency'
  | 'ordering'
  | 'rate_limit_per_second'
  | 'rate_window_start'
  | 'rate_window_count'
  | 'circuit_state'
  | 'circuit_retry_at'
> & { sending: number; due_at: number | null };

/** What nextDueAt reads per waiting endpoint (both dialects): a candidate's state without its id. */
export type WaitingRow = Omit<CandidateRow, 'id'> & { oldest_due_at: number | null };

export const toCandidate = (row: Omit<WaitingRow, 'oldest_due_at' | 'due_at'>): ClaimCandidate => ({
  maxConcurrency: row.max_concurrency,
  sending: row.sending,
  ordering: row.ordering as ClaimCandidate['ordering'],
  rateLimitPerSecond: row.rate_limit_per_second,
  rateWindowStart: row.rate_window_start,
  rateWindowCount: row.rate_window_count,
  circuit: row.circuit_state as ClaimCandidate['circuit'],
  circuitRetryAt: row.circuit_retry_at,
});

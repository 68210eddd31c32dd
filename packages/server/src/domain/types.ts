import type { EndpointOrdering } from './claim-plan.ts';
import type { DisabledReason, EndpointHealth } from './endpoint-health.ts';

/**
 * Herald's vocabulary. Times are epoch milliseconds inside Herald and ISO 8601
 * strings at the API edge.
 *
 * organization  a customer tenant; owns endpoints, events and API keys
 * endpoint      a receiver URL with its subscription, auth, headers, limits and secret
 * event         one thing that happened: a type and a JSON payload; immutable
 * delivery      one event bound for one endpoint; moves through DeliveryStatus
 * attempt       one HTTP request made for a delivery, with its outcome
 */

/** Per-organization switches; stored as one JSON object so new ones need no migration. */
export interface OrgSettings {
  /** Accept event types missing from the catalog (unvalidated) instead of a 400. */
  allowFreeFormTypes: boolean;
}

export const DEFAULT_ORG_SETTINGS: OrgSettings = { allowFreeFormTypes: false };

export interface Organization {
  id: string;
  name: string;
  settings: OrgSettings;
  createdAt: number;
  updatedAt: number;
}

/** An organization API key as Herald shows it: the key itself is never stored, only its hash. */
export interface ApiKey {
  id: string;
  orgId: string;
  name: string;
  /** The key's first characters (`hk_AbCd…`), to tell keys apart. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type EndpointAuth =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'apiKey'; header: string; value: string };

/** A named policy or the explicit waits (ms) before each retry. */
export type RetryPolicySpec = 'standard' | 'rapid' | { schedule: number[] };

/** How the event payload is wrapped in the request body. */
export type PayloadFormat = 'raw' | 'envelope' | 'standard';

export interface Endpoint {
  id: string;
  orgId: string;
  name: string;
  url: string;
  /** null subscribes to every event type. */
  eventTypes: string[] | null;
  enabled: boolean;
  auth: EndpointAuth | null;
  headers: Record<string, string>;
  timeoutMs: number;
  maxConcurrency: number;
  retryPolicy: RetryPolicySpec;
  payloadFormat: PayloadFormat;
  /** The current signing secret, `whsec_` + base64. */
  secret: string;
  /** Secrets replaced by a rotation that still sign until their grace period ends. */
  previousSecrets: PreviousSecret[];
  createdAt: number;
  updatedAt: number;
  // Endpoint health (issue 7). Optional so code that builds endpoints by hand
  // need not spell them out; the store always fills them on read.
  /** Most attempts started per second; null or absent: no limit. */
  rateLimitPerSecond?: number | null;
  /** 'fifo': one at a time, in creation order, retries included. */
  ordering?: EndpointOrdering;
  disabledReason?: DisabledReason | null;
  disabledAt?: number | null;
  health?: EndpointHealth;
}

/** A rotated-out secret: requests carry its signature too until `expiresAt`. */
export interface PreviousSecret {
  secret: string;
  expiresAt: number;
}

export interface HeraldEvent {
  id: string;
  orgId: string;
  type: string;
  /** The payload exactly as serialized once at ingest; every request body is built from it. */
  payloadJson: string;
  idempotencyKey: string | null;
  createdAt: number;
}

/**
 * pending → sending → delivered | pending (retry scheduled) | failed
 * cancelled: the endpoint was disabled or deleted before delivery.
 */
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'cancelled';

export interface Delivery {
  id: string;
  orgId: string;
  eventId: string;
  endpointId: string;
  eventType: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Why an attempt failed when there is no usable HTTP status. */
export type AttemptErrorKind =
  | 'http_status'
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'dns'
  | 'tls'
  | 'network'
  | 'redirect'
  | 'destination_blocked'
  | 'internal';

export interface Attempt {
  id: string;
  deliveryId: string;
  number: number;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: AttemptErrorKind | null;
  errorMessage: string | null;
  responseBody: string | null;
}

export interface EndpointStats {
  delivered: number;
  failed: number;
  pending: number;
  attemptsSucceeded: number;
  attemptsFailed: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
}

/** Attempts of one endpoint in a time window, for the back office's charts. */
export interface EndpointActivity {
  since: number;
  until: number;
  bucketMs: number;
  succeeded: number;
  failed: number;
  /** One entry per bucket from `since`, oldest first, zeros included. */
  buckets: { start: number; succeeded: number; failed: number }[];
  /** Nearest-rank percentiles of attempt durations; null without attempts. */
  latencyMs: { p50: number; p90: number; p99: number } | null;
}

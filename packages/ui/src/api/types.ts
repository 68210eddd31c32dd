/** The API's shapes, as the back office reads them (times are ISO 8601 strings). */

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** `GET /v1/me`: who the bearer token is. */
export type Me = { kind: 'admin' } | { kind: 'org'; orgId: string; keyId: string };

/** An organization API key as lists show it: never the key itself. */
export interface ApiKey {
  id: string;
  name: string;
  /** `hk_` and the key's first characters, to tell keys apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The creation answer: the only time the key (`hk_…`) comes back. */
export interface NewApiKey extends ApiKey {
  key: string;
}

export interface OrgSettings {
  /** Events of types missing from the catalog are accepted (unvalidated) instead of a 400. */
  allowFreeFormTypes: boolean;
}

export interface Organization {
  id: string;
  name: string;
  settings: OrgSettings;
  createdAt: string;
  updatedAt: string;
}

export type RetryPolicy = 'standard' | 'rapid' | { schedule: number[] };
export type PayloadFormat = 'raw' | 'envelope' | 'standard';

export type AuthIn =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'apiKey'; header: string; value: string };

export interface Endpoint {
  id: string;
  name: string;
  url: string;
  eventTypes: string[] | null;
  enabled: boolean;
  /** Credentials never come back: only the method and its non-secret part. */
  auth: { type: string; username?: string; header?: string } | null;
  headers: Record<string, string>;
  timeoutMs: number;
  maxConcurrency: number;
  retryPolicy: RetryPolicy;
  payloadFormat: PayloadFormat;
  secret?: string;
  createdAt: string;
  updatedAt: string;
}

export interface EndpointInput {
  name: string;
  url: string;
  eventTypes: string[] | null;
  enabled: boolean;
  auth?: AuthIn | null;
  headers: Record<string, string>;
  timeoutMs: number;
  maxConcurrency: number;
  retryPolicy: RetryPolicy;
  payloadFormat: PayloadFormat;
}

export interface StatsWindow {
  name: string;
  since: string;
  until: string;
  bucketMs: number;
  attemptsSucceeded: number;
  attemptsFailed: number;
  successRate: number | null;
  buckets: { start: string; succeeded: number; failed: number }[];
  latencyMs: { p50: number; p90: number; p99: number } | null;
}

export interface EndpointStats {
  delivered: number;
  failed: number;
  pending: number;
  attemptsSucceeded: number;
  attemptsFailed: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  window?: StatsWindow;
}

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'cancelled';
export const DELIVERY_STATUSES: DeliveryStatus[] = [
  'pending',
  'sending',
  'delivered',
  'failed',
  'cancelled',
];

export interface Delivery {
  id: string;
  eventId: string;
  endpointId: string;
  eventType: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Attempt {
  id: string;
  number: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  errorMessage: string | null;
  responseBody: string | null;
  /** Present once the API records what was sent (credentials redacted). */
  requestHeaders?: Record<string, string>;
}

export interface DeliveryDetail extends Delivery {
  attempts: Attempt[];
}

export interface HeraldEvent {
  id: string;
  type: string;
  payload: unknown;
  idempotencyKey: string | null;
  createdAt: string;
}

/** An entry of the global catalog (`GET /v1/event-types`). */
export interface EventType {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12) of the payload; null accepts any object. */
  schema: Record<string, unknown> | null;
  /** An example payload that satisfies the schema; null when the catalog has none. */
  example: unknown;
  /** Still accepted, but no longer offered for new subscriptions. */
  deprecated: boolean;
  builtIn: boolean;
  /** Bumped on every edit of the definition. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One failing place of a payload in a 422 WHK_ERR_SCHEMA answer. */
export interface SchemaViolation {
  pointer: string;
  message: string;
}

export interface Badge {
  id: string;
  name: string;
  description: string;
  ruleType: string;
  validityDurationDays: number | null;
}

export type CertificateStatus = 'active' | 'expiring' | 'expired' | 'disabled';

/** A certificate as the list gives it: the BadgeUser document the certificate_* events carry, and its status. */
export interface Certificate {
  _id: string;
  _userId: string;
  _badgeId: string;
  creationDate: string;
  expires: string | null;
  disabled: boolean;
  ruleData: { name: string };
  /** Judged by Herald, whose reminder window (HERALD_CERTIFICATE_REMINDER_DAYS) makes `expiring`. */
  status: CertificateStatus;
}

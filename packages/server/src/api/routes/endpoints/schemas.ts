import { type Static, Type } from '@sinclair/typebox';
import { type EndpointHealth, HEALTHY } from '../../../domain/endpoint-health.ts';
import type { Endpoint, EndpointActivity, EndpointAuth } from '../../../domain/types.ts';
import { iso, isoOrNull, NullableTimestamp, Timestamp } from '../../schemas.ts';

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const HeaderName = Type.String({ pattern: HEADER_NAME.source });
const Secret = Type.String({ minLength: 1, maxLength: 4096 });

const BearerAuth = Type.Object(
  { type: Type.Literal('bearer'), token: Secret },
  { additionalProperties: false },
);
const BasicAuth = Type.Object(
  {
    type: Type.Literal('basic'),
    username: Type.String({ minLength: 1, maxLength: 256 }),
    password: Secret,
  },
  { additionalProperties: false },
);
const ApiKeyAuth = Type.Object(
  { type: Type.Literal('apiKey'), header: HeaderName, value: Secret },
  { additionalProperties: false },
);

// oneOf + discriminator makes a wrong auth object fail with the one branch it meant, not all three.
const AuthIn = Type.Unsafe<
  Static<typeof BearerAuth> | Static<typeof BasicAuth> | Static<typeof ApiKeyAuth>
>({
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [BearerAuth, BasicAuth, ApiKeyAuth],
});

const DAY = 24 * 60 * 60 * 1000;
export const RetryPolicy = Type.Union([
  Type.Literal('standard'),
  Type.Literal('rapid'),
  Type.Object(
    {
      schedule: Type.Array(Type.Integer({ minimum: 0, maximum: 7 * DAY }), {
        minItems: 0,
        maxItems: 100,
      }),
    },
    { additionalProperties: false },
  ),
]);

export const PayloadFormat = Type.Union([
  Type.Literal('raw'),
  Type.Literal('envelope'),
  Type.Literal('standard'),
]);

const EventTypeName = Type.String({ minLength: 1, maxLength: 200 });

export const Ordering = Type.Union([Type.Literal('none'), Type.Literal('fifo')]);
// One `type` list rather than anyOf: under the API's type coercion, anyOf would
// turn a 0 into the null branch (no limit) instead of refusing it.
const RateLimit = Type.Unsafe<number | null>({
  type: ['integer', 'null'],
  minimum: 1,
  maximum: 10_000,
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  eventTypes: Type.Union([
    Type.Array(EventTypeName, { maxItems: 500, uniqueItems: true }),
    Type.Null(),
  ]),
  enabled: Type.Boolean(),
  auth: Type.Union([AuthIn, Type.Null()]),
  headers: Type.Record(Type.String(), Type.String({ maxLength: 4096 }), { maxProperties: 50 }),
  timeoutMs: Type.Integer({ minimum: 1000, maximum: 30000 }),
  maxConcurrency: Type.Integer({ minimum: 1, maximum: 100 }),
  retryPolicy: RetryPolicy,
  payloadFormat: PayloadFormat,
  rateLimitPerSecond: RateLimit,
  ordering: Ordering,
};

export const EndpointIn = Type.Object(
  {
    name: fields.name,
    url: fields.url,
    eventTypes: Type.Optional(fields.eventTypes),
    enabled: Type.Boolean({ default: true }),
    auth: Type.Optional(fields.auth),
    headers: Type.Optional(fields.headers),
    timeoutMs: Type.Integer({ minimum: 1000, maximum: 30000, default: 5000 }),
    maxConcurrency: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
    retryPolicy: Type.Union(RetryPolicy.anyOf, { default: 'standard' }),
    payloadFormat: Type.Union(PayloadFormat.anyOf, { default: 'raw' }),
    /** Most attempts started per second; null: no limit. */
    rateLimitPerSecond: Type.Optional(RateLimit),
    /** fifo: one delivery at a time, each only after every earlier one is delivered or failed. */
    ordering: Type.Union(Ordering.anyOf, { default: 'none' }),
  },
  { additionalProperties: false },
);

export const EndpointPatchIn = Type.Partial(Type.Object(fields), {
  additionalProperties: false,
  minProperties: 1,
});

const AuthOut = Type.Object({
  type: Type.String(),
  username: Type.Optional(Type.String()),
  header: Type.Optional(Type.String()),
});

const HealthOut = Type.Object({
  circuit: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')]),
  circuitRetryAt: NullableTimestamp,
  consecutiveFailures: Type.Integer(),
  consecutiveFailedDeliveries: Type.Integer(),
  failingSince: NullableTimestamp,
});

export const EndpointOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  eventTypes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  enabled: Type.Boolean(),
  auth: Type.Union([AuthOut, Type.Null()]),
  headers: Type.Record(Type.String(), Type.String()),
  timeoutMs: Type.Integer(),
  maxConcurrency: Type.Integer(),
  retryPolicy: RetryPolicy,
  payloadFormat: Type.String(),
  secret: Type.Optional(Type.String()),
  rateLimitPerSecond: Type.Union([Type.Integer(), Type.Null()]),
  ordering: Ordering,
  disabledReason: Type.Union([
    Type.Literal('gone'),
    Type.Literal('failing_too_long'),
    Type.Literal('too_many_failures'),
    Type.Literal('manual'),
    Type.Null(),
  ]),
  disabledAt: NullableTimestamp,
  health: HealthOut,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** Credentials never leave Herald after creation: only what identifies the method stays. */
function redactAuth(auth: EndpointAuth | null) {
  if (auth === null) return null;
  if (auth.type === 'basic') return { type: auth.type, username: auth.username };
  if (auth.type === 'apiKey') return { type: auth.type, header: auth.header };
  return { type: auth.type };
}

export function endpointOut(endpoint: Endpoint, options: { withSecret?: boolean } = {}) {
  return {
    id: endpoint.id,
    name: endpoint.name,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    auth: redactAuth(endpoint.auth),
    headers: endpoint.headers,
    timeoutMs: endpoint.timeoutMs,
    maxConcurrency: endpoint.maxConcurrency,
    retryPolicy: endpoint.retryPolicy,
    payloadFormat: endpoint.payloadFormat,
    ...(options.withSecret ? { secret: endpoint.secret } : {}),
    rateLimitPerSecond: endpoint.rateLimitPerSecond ?? null,
    ordering: endpoint.ordering ?? 'none',
    disabledReason: endpoint.disabledReason ?? null,
    disabledAt: isoOrNull(endpoint.disabledAt ?? null),
    health: healthOut(endpoint.health ?? HEALTHY),
    createdAt: iso(endpoint.createdAt),
    updatedAt: iso(endpoint.updatedAt),
  };
}

/** The windows the back office charts, each with the bucket width that gives it ~24 bars. */
export const STATS_WINDOWS = {
  '1h': { ms: 60 * 60 * 1000, bucketMs: 5 * 60 * 1000 },
  '24h': { ms: DAY, bucketMs: 60 * 60 * 1000 },
  '7d': { ms: 7 * DAY, bucketMs: 6 * 60 * 60 * 1000 },
} as const;

export const StatsQuery = Type.Object({
  window: Type.Optional(
    Type.Union([Type.Literal('1h'), Type.Literal('24h'), Type.Literal('7d')], {
      description: 'adds `window`: attempts in the last 1h/24h/7d, bucketed, with latency',
    }),
  ),
});

const WindowOut = Type.Object({
  name: Type.String(),
  since: Timestamp,
  until: Timestamp,
  bucketMs: Type.Integer(),
  attemptsSucceeded: Type.Integer(),
  attemptsFailed: Type.Integer(),
  /** Succeeded / all attempts in the window; null without attempts. */
  successRate: Type.Union([Type.Number(), Type.Null()]),
  buckets: Type.Array(
    Type.Object({ start: Timestamp, succeeded: Type.Integer(), failed: Type.Integer() }),
  ),
  latencyMs: Type.Union([
    Type.Object({ p50: Type.Integer(), p90: Type.Integer(), p99: Type.Integer() }),
    Type.Null(),
  ]),
});

export function windowOut(name: string, activity: EndpointActivity) {
  const total = activity.succeeded + activity.failed;
  return {
    name,
    since: iso(activity.since),
    until: iso(activity.until),
    bucketMs: activity.bucketMs,
    attemptsSucceeded: activity.succeeded,
    attemptsFailed: activity.failed,
    successRate: total === 0 ? null : activity.succeeded / total,
    buckets: activity.buckets.map((bucket) => ({ ...bucket, start: iso(bucket.start) })),
    latencyMs: activity.latencyMs,
  };
}

export const StatsOut = Type.Object({
  delivered: Type.Integer(),
  failed: Type.Integer(),
  pending: Type.Integer(),
  attemptsSucceeded: Type.Integer(),
  attemptsFailed: Type.Integer(),
  lastSuccessAt: Type.Union([Timestamp, Type.Null()]),
  lastFailureAt: Type.Union([Timestamp, Type.Null()]),
  window: Type.Optional(WindowOut),
});

function healthOut(health: EndpointHealth) {
  return {
    circuit: health.circuit,
    circuitRetryAt: isoOrNull(health.circuitRetryAt),
    consecutiveFailures: health.consecutiveFailures,
    consecutiveFailedDeliveries: health.consecutiveFailedDeliveries,
    failingSince: isoOrNull(health.failingSince),
  };
}

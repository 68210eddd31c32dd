import { Type } from '@sinclair/typebox';
import type { Attempt, Delivery } from '../../../domain/types.ts';
import { iso, isoOrNull, NullableTimestamp, PageQuery, Timestamp } from '../../schemas.ts';

export const DeliveryStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

export const DeliveryQuery = Type.Composite([
  PageQuery,
  Type.Object({
    status: Type.Optional(DeliveryStatus),
    endpoint: Type.Optional(Type.String({ maxLength: 64 })),
    event: Type.Optional(Type.String({ maxLength: 64 })),
    eventType: Type.Optional(Type.String({ maxLength: 200 })),
    since: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
  }),
]);

const deliveryFields = {
  id: Type.String(),
  eventId: Type.String(),
  endpointId: Type.String(),
  eventType: Type.String(),
  status: Type.String(),
  attemptCount: Type.Integer(),
  nextAttemptAt: NullableTimestamp,
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const DeliveryOut = Type.Object(deliveryFields);

export const AttemptOut = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  startedAt: Timestamp,
  durationMs: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  errorMessage: Type.Union([Type.String(), Type.Null()]),
  responseBody: Type.Union([Type.String(), Type.Null()]),
  requestHeaders: Type.Optional(
    Type.Record(Type.String(), Type.String(), {
      description:
        "the request's headers, rebuilt from the endpoint's current settings; credentials redacted",
    }),
  ),
});

export const DeliveryDetailOut = Type.Object({
  ...deliveryFields,
  attempts: Type.Array(AttemptOut),
});

export const deliveryOut = (delivery: Delivery) => ({
  id: delivery.id,
  eventId: delivery.eventId,
  endpointId: delivery.endpointId,
  eventType: delivery.eventType,
  status: delivery.status,
  attemptCount: delivery.attemptCount,
  nextAttemptAt: isoOrNull(delivery.nextAttemptAt),
  lastStatusCode: delivery.lastStatusCode,
  createdAt: iso(delivery.createdAt),
  updatedAt: iso(delivery.updatedAt),
});

export const attemptOut = (attempt: Attempt) => ({
  id: attempt.id,
  number: attempt.number,
  startedAt: iso(attempt.startedAt),
  durationMs: attempt.durationMs,
  statusCode: attempt.statusCode,
  error: attempt.error,
  errorMessage: attempt.errorMessage,
  responseBody: attempt.responseBody,
});

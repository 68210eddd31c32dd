import { Type } from '@sinclair/typebox';
import type { HeraldEvent } from '../../../domain/types.ts';
import { iso, Timestamp } from '../../schemas.ts';

export const EventType = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
});

export const EventIn = Type.Object(
  {
    type: EventType,
    payload: Type.Object(
      {},
      { additionalProperties: true, description: 'the JSON object receivers get' },
    ),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const EventAccepted = Type.Object({
  id: Type.String(),
  type: Type.String(),
  createdAt: Timestamp,
  deliveries: Type.Integer(),
});

export const EventOut = Type.Object({
  id: Type.String(),
  type: Type.String(),
  payload: Type.Unknown(),
  idempotencyKey: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
});

export const eventOut = (event: HeraldEvent) => ({
  id: event.id,
  type: event.type,
  payload: JSON.parse(event.payloadJson),
  idempotencyKey: event.idempotencyKey,
  createdAt: iso(event.createdAt),
});

import { type TSchema, Type } from '@sinclair/typebox';
import { validation } from '../domain/errors.ts';

export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

/**
 * A Timestamp's milliseconds. The format check lets through what Date.parse
 * cannot read (a leap second, an hour-only offset such as +01): refused here
 * rather than becoming NaN in a query.
 */
export function parseTimestamp(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw validation(field, `"${value}" is not a date-time Herald can read`);
  return ms;
}

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    details: Type.Optional(Type.Unknown()),
  }),
});

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
});

export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

const Id = Type.String({ maxLength: 64 });
export const OrgParams = Type.Object({ org: Id });
export const EndpointParams = Type.Object({ org: Id, ep: Id });
export const EventParams = Type.Object({ org: Id, evt: Id });
export const DeliveryParams = Type.Object({ org: Id, dlv: Id });

/** Error responses every authenticated route may give. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  429: ErrorResponse,
};

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

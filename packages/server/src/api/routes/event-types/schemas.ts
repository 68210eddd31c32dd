import { Type } from '@sinclair/typebox';
import type { EventTypeDefinition } from '../../../event-types/types.ts';
import { iso, Timestamp } from '../../schemas.ts';
import { EventType } from '../events/schemas.ts';

const JsonSchemaIn = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
  description: 'JSON Schema (draft 2020-12) of the payload; null accepts any object',
});
const Description = Type.String({ maxLength: 2000 });

export const EventTypeParams = Type.Object({ name: EventType });

export const EventTypeIn = Type.Object(
  {
    name: EventType,
    description: Type.Optional(Description),
    schema: Type.Optional(JsonSchemaIn),
    example: Type.Optional(Type.Unknown({ description: 'an example payload; must match schema' })),
    deprecated: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const EventTypePatchIn = Type.Object(
  {
    description: Type.Optional(Description),
    schema: Type.Optional(JsonSchemaIn),
    example: Type.Optional(Type.Unknown()),
    deprecated: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const EventTypeOut = Type.Object({
  name: Type.String(),
  description: Type.String(),
  schema: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  example: Type.Unknown(),
  deprecated: Type.Boolean(),
  builtIn: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const eventTypeOut = (type: EventTypeDefinition) => ({
  name: type.name,
  description: type.description,
  schema: type.schema,
  example: type.example,
  deprecated: type.deprecated,
  builtIn: type.builtIn,
  version: type.version,
  createdAt: iso(type.createdAt),
  updatedAt: iso(type.updatedAt),
});

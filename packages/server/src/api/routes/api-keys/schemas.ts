import { Type } from '@sinclair/typebox';
import type { ApiKey } from '../../../domain/types.ts';
import { iso, isoOrNull, Timestamp } from '../../schemas.ts';

export const ApiKeyIn = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, default: 'API key' }) },
  { additionalProperties: false },
);

export const ApiKeyOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});

/** Only the creation answer carries the key itself: Herald keeps nothing it could show again. */
export const ApiKeyCreated = Type.Composite([ApiKeyOut, Type.Object({ key: Type.String() })]);

export const apiKeyOut = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  createdAt: iso(key.createdAt),
  lastUsedAt: isoOrNull(key.lastUsedAt),
});

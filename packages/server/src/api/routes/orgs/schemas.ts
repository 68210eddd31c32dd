import { Type } from '@sinclair/typebox';
import type { Organization } from '../../../domain/types.ts';
import { iso, Timestamp } from '../../schemas.ts';

const Name = Type.String({ minLength: 1, maxLength: 200 });

export const OrgIn = Type.Object({ name: Name }, { additionalProperties: false });
export const OrgPatch = Type.Object({ name: Type.Optional(Name) }, { additionalProperties: false });

export const OrgOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const orgOut = (org: Organization) => ({
  id: org.id,
  name: org.name,
  createdAt: iso(org.createdAt),
  updatedAt: iso(org.updatedAt),
});

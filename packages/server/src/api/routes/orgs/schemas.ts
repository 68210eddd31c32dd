import { Type } from '@sinclair/typebox';
import type { Organization } from '../../../domain/types.ts';
import { iso, Timestamp } from '../../schemas.ts';

const Name = Type.String({ minLength: 1, maxLength: 200 });

const SettingsIn = Type.Object(
  {
    allowFreeFormTypes: Type.Optional(
      Type.Boolean({
        description: 'accept event types missing from the catalog (unvalidated) instead of a 400',
      }),
    ),
  },
  { additionalProperties: false },
);

export const OrgIn = Type.Object(
  { name: Name, settings: Type.Optional(SettingsIn) },
  { additionalProperties: false },
);
export const OrgPatch = Type.Object(
  { name: Type.Optional(Name), settings: Type.Optional(SettingsIn) },
  { additionalProperties: false },
);

export const OrgOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  settings: Type.Object({ allowFreeFormTypes: Type.Boolean() }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const orgOut = (org: Organization) => ({
  id: org.id,
  name: org.name,
  settings: org.settings,
  createdAt: iso(org.createdAt),
  updatedAt: iso(org.updatedAt),
});

import { Type } from '@sinclair/typebox';
import { OBJECT_ID } from '../../../certificates/object-id.ts';
import type { Badge } from '../../../certificates/types.ts';
import { iso, Timestamp } from '../../schemas.ts';

export const ObjectId = Type.String({ pattern: OBJECT_ID.source, description: '24-hex ObjectId' });

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });
const RuleType = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[a-z][a-z0-9_-]*$',
  description: '"certification", or another rule kind of the platform',
});
const Validity = Type.Union([Type.Integer({ minimum: 1, maximum: 36_500 }), Type.Null()], {
  description: 'days a certificate stays valid; null never expires',
});
const LessonIds = Type.Array(ObjectId, { maxItems: 1000 });

export const BadgeParams = Type.Object({ org: Type.String({ maxLength: 64 }), id: ObjectId });

export const BadgeIn = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    ruleType: Type.Optional(RuleType),
    validityDurationDays: Type.Optional(Validity),
    lessonIds: Type.Optional(LessonIds),
  },
  { additionalProperties: false },
);

export const BadgePatchIn = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    ruleType: Type.Optional(RuleType),
    validityDurationDays: Type.Optional(Validity),
    lessonIds: Type.Optional(LessonIds),
  },
  { additionalProperties: false },
);

export const BadgeOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  ruleType: Type.String(),
  validityDurationDays: Type.Union([Type.Integer(), Type.Null()]),
  lessonIds: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const badgeOut = (badge: Badge) => ({
  id: badge.id,
  name: badge.name,
  description: badge.description,
  ruleType: badge.ruleType,
  validityDurationDays: badge.validityDurationDays,
  lessonIds: badge.lessonIds,
  createdAt: iso(badge.createdAt),
  updatedAt: iso(badge.updatedAt),
});

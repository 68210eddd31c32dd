import { Type } from '@sinclair/typebox';
import { Timestamp } from '../../schemas.ts';
import { ObjectId } from '../badges/schemas.ts';

export const CertificateParams = Type.Object({ org: Type.String({ maxLength: 64 }), id: ObjectId });

export const CertificateIn = Type.Object(
  {
    userId: ObjectId,
    badgeId: ObjectId,
    lessonActiveIds: Type.Optional(Type.Array(ObjectId, { maxItems: 1000 })),
    awardedBy: Type.Union(
      [Type.Literal('completion'), Type.Literal('automatic'), Type.Literal('admin')],
      { default: 'admin' },
    ),
    expires: Type.Optional(
      Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
        description: "overrides the badge's validity period; null never expires",
      }),
    ),
    user: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 200 })),
          email: Type.Optional(Type.String({ maxLength: 320 })),
        },
        { additionalProperties: false, description: 'shown in certificate.created' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CertificateQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
  user: Type.Optional(ObjectId),
  badge: Type.Optional(ObjectId),
  status: Type.Optional(
    Type.Union([
      Type.Literal('active'),
      Type.Literal('expiring'),
      Type.Literal('expired'),
      Type.Literal('disabled'),
    ]),
  ),
});

const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

/** The BadgeUser document, exactly what certificate_* events carry. */
export const BadgeUserOut = Type.Object({
  _id: Type.String(),
  _userId: Type.String(),
  _ownerId: Type.String(),
  _badgeId: Type.String(),
  creationDate: Timestamp,
  expires: NullableTimestamp,
  disabled: Type.Boolean(),
  expiryReminderSent: Type.Boolean(),
  _lessonActiveIds: Type.Array(Type.String()),
  ruleData: Type.Object({
    type: Type.String(),
    name: Type.String(),
    description: Type.String(),
    validityDurationDays: Type.Union([Type.Integer(), Type.Null()]),
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  __v: Type.Integer(),
});

/** A list row: the document plus its status now, so a client need not know the reminder window. */
export const CertificateListItem = Type.Composite([
  BadgeUserOut,
  Type.Object({
    status: Type.Union(
      [
        Type.Literal('active'),
        Type.Literal('expiring'),
        Type.Literal('expired'),
        Type.Literal('disabled'),
      ],
      {
        description:
          'disabled (revoked), expired, expiring (within HERALD_CERTIFICATE_REMINDER_DAYS of expires) or active',
      },
    ),
  }),
]);

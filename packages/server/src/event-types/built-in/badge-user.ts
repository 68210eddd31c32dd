import type { EventTypeSeed } from '../types.ts';

const objectId = { type: 'string', pattern: '^[0-9a-f]{24}$' };
const dateTime = { type: 'string', format: 'date-time' };

/**
 * The BadgeUser document, field for field as Beedeez sends it (seed 002).
 * Closed at the top level so a typo'd field is a 422, not a silent surprise
 * for a receiver; `ruleData` stays open because badge rules carry their own data.
 * `__v` (Mongoose's version key) is optional: the seed's own test payload has
 * none, and publishers whose documents are saved without one have none either.
 */
export const BADGE_USER_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'BadgeUser',
  type: 'object',
  additionalProperties: false,
  required: [
    '_id',
    '_userId',
    '_ownerId',
    '_badgeId',
    'creationDate',
    'expires',
    'disabled',
    'expiryReminderSent',
    '_lessonActiveIds',
    'ruleData',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    _id: { ...objectId, description: 'this certificate (badge instance)' },
    _userId: { ...objectId, description: 'the user who earned it' },
    _ownerId: { ...objectId, description: 'the organization' },
    _badgeId: { ...objectId, description: 'the badge definition' },
    creationDate: { ...dateTime, description: 'when the user met the requirements' },
    expires: { anyOf: [dateTime, { type: 'null' }], description: 'null when it never expires' },
    disabled: { type: 'boolean', description: 'revoked' },
    expiryReminderSent: { type: 'boolean' },
    _lessonActiveIds: { type: 'array', items: objectId },
    ruleData: {
      type: 'object',
      required: ['type', 'name'],
      properties: {
        type: { type: 'string' },
        name: { type: 'string' },
        description: { type: 'string' },
        validityDurationDays: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
      },
    },
    createdAt: dateTime,
    updatedAt: dateTime,
    __v: { type: 'integer', minimum: 0, description: 'MongoDB version key' },
  },
} as const;

const completed = {
  _id: '507f1f77bcf86cd799439011',
  _userId: '507f191e810c19729de860ea',
  _ownerId: '507f191e810c19729de860eb',
  _badgeId: '507f191e810c19729de860ec',
  creationDate: '2024-11-27T10:30:00.000Z',
  expires: '2025-11-27T10:30:00.000Z',
  disabled: false,
  expiryReminderSent: false,
  _lessonActiveIds: [
    '507f191e810c19729de860ed',
    '507f191e810c19729de860ee',
    '507f191e810c19729de860ef',
  ],
  ruleData: {
    type: 'certification',
    name: 'Safety Training Certificate',
    description: 'Complete all safety training modules',
    validityDurationDays: 365,
  },
  createdAt: '2024-11-27T10:30:00.000Z',
  updatedAt: '2024-11-27T10:30:00.000Z',
  __v: 0,
};

/** The seed's certificate_completed example, verbatim. */
export const BADGE_USER_EXAMPLE = completed;

export const CERTIFICATE_EVENT_TYPES: EventTypeSeed[] = [
  {
    name: 'certificate_completed',
    description:
      'A user completed a certificate (badge): the BadgeUser document, sent when it is awarded.',
    schema: BADGE_USER_SCHEMA,
    example: completed,
  },
  {
    name: 'certificate_expiring',
    description:
      'A certificate expires soon: sent once, the configured number of days before `expires` (expiryReminderSent is then true).',
    schema: BADGE_USER_SCHEMA,
    example: {
      ...completed,
      expiryReminderSent: true,
      updatedAt: '2025-10-28T10:30:00.000Z',
      __v: 0,
    },
  },
  {
    name: 'certificate_expired',
    description: 'A certificate reached its `expires` date: sent exactly once per certificate.',
    schema: BADGE_USER_SCHEMA,
    example: {
      _id: '507f1f77bcf86cd799439011',
      _userId: '507f191e810c19729de860ea',
      _ownerId: '507f191e810c19729de860eb',
      _badgeId: '507f191e810c19729de860ec',
      creationDate: '2023-11-27T10:30:00.000Z',
      expires: '2024-11-27T10:30:00.000Z',
      disabled: false,
      expiryReminderSent: true,
      _lessonActiveIds: ['507f191e810c19729de860ed', '507f191e810c19729de860ee'],
      ruleData: {
        type: 'certification',
        name: 'First Aid Certification',
        description: 'First aid and emergency response training',
        validityDurationDays: 365,
      },
      createdAt: '2023-11-27T10:30:00.000Z',
      updatedAt: '2024-11-27T10:30:00.000Z',
      __v: 0,
    },
  },
];

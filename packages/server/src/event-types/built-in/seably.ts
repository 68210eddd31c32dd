import type { EventTypeSeed } from '../types.ts';

const dateTime = { type: 'string', format: 'date-time' };

/** Seably's certificate object (seed 004): `type` and a workspace-sequential `SB-` id lead. */
export const SEABLY_CERTIFICATE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Seably certificate',
  type: 'object',
  required: ['type', 'id', 'user', 'course', 'issuedAt', 'expiresAt'],
  properties: {
    type: { const: 'certificate' },
    id: { type: 'string', pattern: '^SB-[0-9]{8}$', description: 'workspace-sequential' },
    badgeUserId: { type: 'string', pattern: '^[0-9a-f]{24}$', description: 'the BadgeUser _id' },
    status: { enum: ['valid', 'expired', 'revoked'] },
    user: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', minLength: 1 },
        name: { type: 'string' },
        email: { type: 'string' },
      },
    },
    course: {
      type: 'object',
      required: ['id', 'name'],
      properties: {
        id: { type: 'string', minLength: 1 },
        name: { type: 'string' },
        description: { type: 'string' },
      },
    },
    awardedBy: { enum: ['completion', 'automatic', 'admin'] },
    issuedAt: dateTime,
    expiresAt: { anyOf: [dateTime, { type: 'null' }] },
    createdAt: dateTime,
  },
} as const;

export const SEABLY_EVENT_TYPES: EventTypeSeed[] = [
  {
    name: 'certificate.created',
    description:
      'A user completed a course and a certificate was issued (Seably). Endpoints usually take it in the `envelope` format.',
    schema: SEABLY_CERTIFICATE_SCHEMA,
    example: {
      type: 'certificate',
      id: 'SB-00000001',
      badgeUserId: '507f1f77bcf86cd799439011',
      status: 'valid',
      user: { id: '507f191e810c19729de860ea', name: 'Ada Lovelace', email: 'ada@example.com' },
      course: {
        id: '507f191e810c19729de860ec',
        name: 'Safety Training Certificate',
        description: 'Complete all safety training modules',
      },
      awardedBy: 'completion',
      issuedAt: '2024-11-27T10:30:00.000Z',
      expiresAt: '2025-11-27T10:30:00.000Z',
      createdAt: '2024-11-27T10:30:00.000Z',
    },
  },
];

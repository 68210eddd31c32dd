import type { EventTypeSeed } from '../types.ts';

const dateTime = { type: 'string', format: 'date-time' };
const count = { type: 'integer', minimum: 0 };

export const OPERATIONAL_EVENT_TYPES: EventTypeSeed[] = [
  {
    name: 'webhook.test',
    description: 'Sent by `POST /v1/orgs/:org/endpoints/:ep/test` to that endpoint only.',
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: ['type', 'message', 'endpointId', 'eventId', 'sentAt'],
      properties: {
        type: { const: 'webhook.test' },
        message: { type: 'string' },
        endpointId: { type: 'string' },
        eventId: { type: 'string' },
        sentAt: dateTime,
      },
    },
    example: {
      type: 'webhook.test',
      message: 'Test event from Herald for endpoint "HR system"',
      endpointId: 'ep_01JD7Z4Q8M2K5N3P6R9T0V1W2X',
      eventId: 'evt_01JD7Z4Q8M2K5N3P6R9T0V1W2Y',
      sentAt: '2024-11-27T10:30:00.000Z',
    },
  },
  {
    name: 'endpoint.disabled',
    description:
      'Operational: Herald disabled one of the organization’s endpoints (410 Gone, failing for too long, or too many failed deliveries in a row).',
    // What domain/endpoint-health.ts endpointDisabledPayload() builds.
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: [
        'endpointId',
        'orgId',
        'name',
        'url',
        'reason',
        'disabledAt',
        'failingSince',
        'counts',
      ],
      properties: {
        endpointId: { type: 'string' },
        orgId: { type: 'string' },
        name: { type: 'string' },
        url: { type: 'string' },
        reason: { enum: ['gone', 'failing_too_long', 'too_many_failures'] },
        disabledAt: dateTime,
        failingSince: { anyOf: [dateTime, { type: 'null' }] },
        counts: {
          type: 'object',
          required: [
            'consecutiveFailedAttempts',
            'consecutiveFailedDeliveries',
            'cancelledDeliveries',
          ],
          properties: {
            consecutiveFailedAttempts: count,
            consecutiveFailedDeliveries: count,
            cancelledDeliveries: count,
          },
        },
      },
    },
    example: {
      endpointId: 'ep_01JD7Z4Q8M2K5N3P6R9T0V1W2X',
      orgId: 'org_01JD7Z4Q8M2K5N3P6R9T0V1W2Z',
      name: 'Certificate Notifications',
      url: 'https://api.yourcompany.com/webhooks/certificates',
      reason: 'failing_too_long',
      disabledAt: '2024-11-27T10:30:00.000Z',
      failingSince: '2024-11-22T10:29:41.000Z',
      counts: {
        consecutiveFailedAttempts: 57,
        consecutiveFailedDeliveries: 4,
        cancelledDeliveries: 12,
      },
    },
  },
];

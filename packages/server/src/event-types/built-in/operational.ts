import type { EventTypeSeed } from '../types.ts';

const dateTime = { type: 'string', format: 'date-time' };

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
      'Operational: Herald disabled one of the organization’s endpoints (410 Gone, or failing for too long).',
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: ['endpointId', 'reason'],
      properties: {
        endpointId: { type: 'string' },
        orgId: { type: 'string' },
        url: { type: 'string' },
        reason: { type: 'string' },
        disabledAt: dateTime,
      },
    },
    example: {
      endpointId: 'ep_01JD7Z4Q8M2K5N3P6R9T0V1W2X',
      orgId: 'org_01JD7Z4Q8M2K5N3P6R9T0V1W2Z',
      url: 'https://api.yourcompany.com/webhooks/certificates',
      reason: 'failing continuously for 5 days',
      disabledAt: '2024-11-27T10:30:00.000Z',
    },
  },
];

import type { Endpoint } from '../../../domain/types.ts';

export const TEST_EVENT_TYPE = 'webhook.test';

/** What `POST …/endpoints/:ep/test` sends: enough for a receiver to recognise a test. */
export function testPayload(endpoint: Endpoint, eventId: string, now: number) {
  return {
    type: TEST_EVENT_TYPE,
    message: `Test event from Herald for endpoint "${endpoint.name}"`,
    endpointId: endpoint.id,
    eventId,
    sentAt: new Date(now).toISOString(),
  };
}

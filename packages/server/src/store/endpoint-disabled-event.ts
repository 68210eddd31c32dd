import {
  type DisabledReason,
  ENDPOINT_DISABLED_EVENT,
  type EndpointHealth,
  endpointDisabledPayload,
} from '../domain/endpoint-health.ts';
import { newId } from '../domain/ids.ts';
import type { IngestInput } from './store.ts';

/**
 * The `endpoint.disabled` event both adapters ingest in the transaction that
 * disables an endpoint. Never deduplicated: each disabling is its own event.
 */
export function endpointDisabledEvent(
  endpoint: { id: string; org_id: string; name: string; url: string },
  reason: DisabledReason,
  now: number,
  health: EndpointHealth,
  cancelledDeliveries: number,
): IngestInput {
  const payload = endpointDisabledPayload(
    { id: endpoint.id, orgId: endpoint.org_id, name: endpoint.name, url: endpoint.url },
    reason,
    now,
    health,
    cancelledDeliveries,
  );
  return {
    event: {
      id: newId('evt', now),
      orgId: endpoint.org_id,
      type: ENDPOINT_DISABLED_EVENT,
      payloadJson: JSON.stringify(payload),
      idempotencyKey: null,
      createdAt: now,
    },
    idempotencyWindowMs: 0,
  };
}

import { buildRequest } from '../../packages/server/src/delivery/request.ts';
import { newId } from '../../packages/server/src/domain/ids.ts';
import type {
  AttemptRecord,
  ClaimedDelivery,
  Store,
} from '../../packages/server/src/store/store.ts';
import { PAYLOAD_JSON } from '../lib/payload.ts';

export interface QueueShape {
  deliveries: number;
  /** Every event goes to all of them. */
  endpoints: number;
  maxConcurrency: number;
}

/** Seeds one organization's endpoints and enough events for `deliveries` pending deliveries. */
export async function seedQueue(store: Store, shape: QueueShape): Promise<void> {
  const now = Date.now();
  await store.createOrg({ id: 'org_cycle', name: 'cycle', createdAt: now, updatedAt: now });
  for (let i = 0; i < shape.endpoints; i++) {
    await store.createEndpoint(
      {
        id: `ep_cycle${String(i).padStart(4, '0')}`,
        orgId: 'org_cycle',
        name: `cycle ${i}`,
        url: `http://127.0.0.1:9/cycle/${i}`,
        eventTypes: null,
        enabled: true,
        auth: null,
        headers: {},
        timeoutMs: 5000,
        maxConcurrency: shape.maxConcurrency,
        retryPolicy: 'standard',
        payloadFormat: 'raw',
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      } as never,
      now,
    );
  }
  const events = Math.ceil(shape.deliveries / shape.endpoints);
  // Concurrent ingests share one group-committed transaction per chunk.
  for (let seeded = 0; seeded < events; seeded += 1000) {
    const chunk: Promise<unknown>[] = [];
    for (let i = seeded; i < Math.min(events, seeded + 1000); i++) {
      const t = Date.now();
      chunk.push(
        store.ingest({
          event: {
            id: newId('evt', t),
            orgId: 'org_cycle',
            type: 'certificate_completed',
            payloadJson: PAYLOAD_JSON,
            idempotencyKey: null,
            createdAt: t,
          },
          idempotencyWindowMs: 1000,
        }),
      );
    }
    await Promise.all(chunk);
  }
}

/** Builds and signs each claimed request, as the sender would, and answers a delivered attempt. */
export function recordsOf(claims: ClaimedDelivery[]): AttemptRecord[] {
  return claims.map((claim) => {
    const startedAt = Date.now();
    buildRequest(claim.event, claim.endpoint, claim.attemptNumber, startedAt, {
      userAgent: 'Herald/bench',
      source: 'herald',
    });
    return {
      attemptId: newId('atm', startedAt),
      deliveryId: claim.deliveryId,
      endpointId: claim.endpoint.id,
      attemptNumber: claim.attemptNumber,
      leaseUntil: claim.leaseUntil,
      result: {
        startedAt,
        durationMs: 1,
        statusCode: 200,
        error: null,
        errorMessage: null,
        responseBody: 'ok',
      },
      outcome: { status: 'delivered', nextAttemptAt: null },
    };
  });
}

// CPU time (user + system), not wall time: on a shared machine, waiting for a core is not the code's cost.
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

import { generateSecret } from '@herald/sdk';
import type { Outcome, SendResult } from '../../src/domain/attempt-outcome.ts';
import { newId } from '../../src/domain/ids.ts';
import type { Endpoint, HeraldEvent, Organization } from '../../src/domain/types.ts';
import type { AttemptRecord, ClaimedDelivery, NewEndpoint, Store } from '../../src/store/store.ts';

/** A fixed "now" (tests pass time explicitly; nothing here reads the wall clock). */
export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
export const DAY = 24 * 60 * 60 * 1000;

export async function addOrg(
  store: Store,
  name = 'Acme Learning',
  now = T0,
): Promise<Organization> {
  return store.createOrg({ id: newId('org', now), name, createdAt: now, updatedAt: now });
}

export function endpointFields(orgId: string, fields: Partial<NewEndpoint> = {}): NewEndpoint {
  return {
    id: newId('ep', T0),
    orgId,
    name: 'Certificates',
    url: 'https://hooks.example.com/herald',
    eventTypes: null,
    enabled: true,
    auth: null,
    headers: {},
    timeoutMs: 5_000,
    maxConcurrency: 10,
    retryPolicy: 'standard',
    payloadFormat: 'raw',
    secret: generateSecret(),
    ...fields,
  };
}

export async function addEndpoint(
  store: Store,
  orgId: string,
  fields: Partial<NewEndpoint> = {},
  now = T0,
): Promise<Endpoint> {
  return store.createEndpoint(endpointFields(orgId, fields), now);
}

export function makeEvent(orgId: string, fields: Partial<HeraldEvent> = {}): HeraldEvent {
  const createdAt = fields.createdAt ?? T0;
  return {
    id: newId('evt', createdAt),
    orgId,
    type: 'certificate_completed',
    payloadJson: JSON.stringify({ _id: '507f1f77bcf86cd799439011', score: 92 }),
    idempotencyKey: null,
    createdAt,
    ...fields,
  };
}

export async function ingest(
  store: Store,
  orgId: string,
  fields: Partial<HeraldEvent> = {},
  windowMs = DAY,
) {
  return store.ingest({ event: makeEvent(orgId, fields), idempotencyWindowMs: windowMs });
}

export function sendResult(statusCode: number | null, startedAt = T0): SendResult {
  return {
    startedAt,
    durationMs: 12,
    statusCode,
    error: statusCode === null ? 'timeout' : statusCode < 300 ? null : 'http_status',
    errorMessage: statusCode === null ? 'timed out' : null,
    responseBody: statusCode === null ? null : 'ok',
  };
}

/** The record a worker would write for `claim` ending with `outcome`. */
export function recordOf(
  claim: ClaimedDelivery,
  statusCode: number | null,
  outcome: Outcome,
  startedAt = T0,
): AttemptRecord {
  return {
    attemptId: newId('atm', startedAt),
    deliveryId: claim.deliveryId,
    endpointId: claim.endpoint.id,
    attemptNumber: claim.attemptNumber,
    leaseUntil: claim.leaseUntil,
    result: sendResult(statusCode, startedAt),
    outcome,
  };
}

export const DELIVERED: Outcome = { status: 'delivered', nextAttemptAt: null };
export const FAILED: Outcome = { status: 'failed', nextAttemptAt: null };
export const retryAt = (at: number): Outcome => ({ status: 'pending', nextAttemptAt: at });

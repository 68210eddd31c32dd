import { isSuccess } from './attempt-outcome.ts';

/**
 * Endpoint health: the circuit breaker and the auto-disable rules, as pure
 * functions of the endpoint's persisted health and one attempt's result. The
 * store reads the health inside the recording transaction, folds the batch's
 * attempts through `recordHealth` and writes the result back, so every node
 * sees the same breaker.
 *
 * closed     deliveries are claimed as usual
 * open       nothing is claimed until `circuitRetryAt`; then one probe goes out,
 *            a delivery that is due (domain/claim-plan.ts)
 * half_open  the probe is in flight; `circuitRetryAt` is its lease end, after
 *            which a lost probe is replaced
 *
 * An operator's retry of a delivery (POST …/deliveries/:dlv/retry) brings an
 * open breaker's `circuitRetryAt` to now: the person says the receiver may be
 * back, so the probe goes at once instead of after a cool-down that may have
 * grown to minutes. The probe is the delivery due the longest, the retried
 * one if no other is (a FIFO endpoint's head): if it succeeds the breaker
 * closes and the whole backlog, the retried delivery with it, is sent at once;
 * if it fails the cool-down doubles as for any probe. A probe already in
 * flight (half_open) decides alone.
 */

export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * gone               the receiver answered 410 Gone
 * failing_too_long   every attempt failed for longer than the configured time
 * too_many_failures  that many deliveries in a row ended failed
 * manual             an operator disabled it
 */
export type DisabledReason = 'gone' | 'failing_too_long' | 'too_many_failures' | 'manual';

export interface EndpointHealth {
  /** Failed attempts since the last successful one. */
  consecutiveFailures: number;
  /** Deliveries that ended `failed` since the last successful attempt. */
  consecutiveFailedDeliveries: number;
  /** When the current run of failures began; null while healthy. */
  failingSince: number | null;
  circuit: CircuitState;
  /** open: when the next probe may go; half_open: when a lost probe is replaced. */
  circuitRetryAt: number | null;
  /** The cool-down that led to `circuitRetryAt`; doubles after each failed probe. */
  circuitCooldownMs: number | null;
}

export interface HealthPolicy {
  /** Failed attempts in a row that open the breaker; 0 never opens it. */
  breakerThreshold: number;
  breakerCooldownMs: number;
  breakerMaxCooldownMs: number;
  /** Failing continuously this long disables the endpoint; 0 never does. */
  disableAfterMs: number;
  /** This many failed deliveries in a row disable the endpoint; 0 never does. */
  disableAfterFailures: number;
}

const DAY = 24 * 60 * 60 * 1000;

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  breakerThreshold: 5,
  breakerCooldownMs: 5_000,
  breakerMaxCooldownMs: 10 * 60_000,
  disableAfterMs: 5 * DAY,
  disableAfterFailures: 100,
};

export const HEALTHY: EndpointHealth = {
  consecutiveFailures: 0,
  consecutiveFailedDeliveries: 0,
  failingSince: null,
  circuit: 'closed',
  circuitRetryAt: null,
  circuitCooldownMs: null,
};

/** What one recorded attempt tells about its endpoint. */
export interface AttemptFact {
  success: boolean;
  /** The receiver answered 410 Gone: it asks never to be called again. */
  gone: boolean;
  /** The attempt ended its delivery as `failed`. */
  deliveryFailed: boolean;
  at: number;
}

export interface HealthStep {
  health: EndpointHealth;
  /** The breaker went from open/half-open to closed: the held backlog may drain. */
  closed: boolean;
  /** Set when the endpoint must be disabled now. */
  disable: DisabledReason | null;
}

export function isGone(statusCode: number | null): boolean {
  return statusCode === 410;
}

/** The endpoint's health after one more attempt. */
export function recordHealth(
  health: EndpointHealth,
  fact: AttemptFact,
  policy: HealthPolicy,
): HealthStep {
  if (fact.success) {
    return { health: HEALTHY, closed: health.circuit !== 'closed', disable: null };
  }
  const next: EndpointHealth = {
    ...health,
    consecutiveFailures: health.consecutiveFailures + 1,
    consecutiveFailedDeliveries: health.consecutiveFailedDeliveries + (fact.deliveryFailed ? 1 : 0),
    failingSince: health.failingSince ?? fact.at,
  };
  if (health.circuit === 'half_open') {
    // The probe failed: wait longer before the next one.
    const cooldown = Math.min(
      (health.circuitCooldownMs ?? policy.breakerCooldownMs) * 2,
      policy.breakerMaxCooldownMs,
    );
    Object.assign(next, {
      circuit: 'open',
      circuitCooldownMs: cooldown,
      circuitRetryAt: fact.at + cooldown,
    });
  } else if (
    health.circuit === 'closed' &&
    policy.breakerThreshold > 0 &&
    next.consecutiveFailures >= policy.breakerThreshold
  ) {
    const cooldown = policy.breakerCooldownMs;
    Object.assign(next, {
      circuit: 'open',
      circuitCooldownMs: cooldown,
      circuitRetryAt: fact.at + cooldown,
    });
  }
  // While open, a failure of a request sent before the breaker opened changes nothing more.
  return { health: next, closed: false, disable: disableReason(next, fact, policy) };
}

function disableReason(
  health: EndpointHealth,
  fact: AttemptFact,
  policy: HealthPolicy,
): DisabledReason | null {
  if (fact.gone) return 'gone';
  if (
    policy.disableAfterFailures > 0 &&
    health.consecutiveFailedDeliveries >= policy.disableAfterFailures
  )
    return 'too_many_failures';
  if (
    policy.disableAfterMs > 0 &&
    health.failingSince !== null &&
    fact.at - health.failingSince >= policy.disableAfterMs
  )
    return 'failing_too_long';
  return null;
}

/** What the adapters record, reduced to what health needs. */
export interface RecordedAttempt {
  endpointId: string;
  result: { statusCode: number | null; error: string | null };
  outcome: { status: string };
}

export interface BatchHealth {
  health: EndpointHealth;
  /** Whether the row must be written back. */
  changed: boolean;
  /** The breaker closed and stayed closed: release the held backlog. */
  released: boolean;
  disable: DisabledReason | null;
}

/** Groups a recorded batch by endpoint, in the batch's order. */
export function byEndpoint<R extends { endpointId: string }>(records: R[]): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const record of records) {
    const list = groups.get(record.endpointId);
    if (list) list.push(record);
    else groups.set(record.endpointId, [record]);
  }
  return groups;
}

/**
 * The endpoints with a failed attempt in a recorded batch: their health
 * changes whatever it was (a success changes only an endpoint not healthy).
 */
export function failingEndpoints(
  records: { endpointId: string; result: { statusCode: number | null; error: string | null } }[],
): Set<string> {
  const failing = new Set<string>();
  for (const record of records) if (!isSuccess(record.result)) failing.add(record.endpointId);
  return failing;
}

/** Folds one endpoint's attempts from a recorded batch into its health; stops at a disable. */
export function recordBatchHealth(
  before: EndpointHealth,
  attempts: RecordedAttempt[],
  now: number,
  policy: HealthPolicy,
): BatchHealth {
  let health = before;
  let closed = false;
  for (const { result, outcome } of attempts) {
    const step = recordHealth(
      health,
      {
        success: isSuccess(result),
        gone: isGone(result.statusCode),
        deliveryFailed: outcome.status === 'failed',
        at: now,
      },
      policy,
    );
    health = step.health;
    closed ||= step.closed;
    if (step.disable) return { health, changed: true, released: false, disable: step.disable };
  }
  return {
    health,
    changed: !sameHealth(before, health),
    released: closed && health.circuit === 'closed',
    disable: null,
  };
}

export function sameHealth(a: EndpointHealth, b: EndpointHealth): boolean {
  return (
    a.consecutiveFailures === b.consecutiveFailures &&
    a.consecutiveFailedDeliveries === b.consecutiveFailedDeliveries &&
    a.failingSince === b.failingSince &&
    a.circuit === b.circuit &&
    a.circuitRetryAt === b.circuitRetryAt &&
    a.circuitCooldownMs === b.circuitCooldownMs
  );
}

/** The operational event Herald publishes when it disables an endpoint on its own. */
export const ENDPOINT_DISABLED_EVENT = 'endpoint.disabled';

export function endpointDisabledPayload(
  endpoint: { id: string; orgId: string; name: string; url: string },
  reason: DisabledReason,
  disabledAt: number,
  health: EndpointHealth,
  cancelledDeliveries: number,
) {
  return {
    endpointId: endpoint.id,
    orgId: endpoint.orgId,
    name: endpoint.name,
    url: endpoint.url,
    reason,
    disabledAt: new Date(disabledAt).toISOString(),
    failingSince: health.failingSince === null ? null : new Date(health.failingSince).toISOString(),
    counts: {
      consecutiveFailedAttempts: health.consecutiveFailures,
      consecutiveFailedDeliveries: health.consecutiveFailedDeliveries,
      cancelledDeliveries,
    },
  };
}

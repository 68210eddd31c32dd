import type { Outcome, SendResult } from '../domain/attempt-outcome.ts';
import type { HealthPolicy } from '../domain/endpoint-health.ts';
import type {
  ApiKey,
  Attempt,
  Delivery,
  DeliveryStatus,
  Endpoint,
  EndpointActivity,
  EndpointStats,
  HeraldEvent,
  Organization,
  OrgSettings,
} from '../domain/types.ts';
import type { CertificateStore } from './certificate-store.ts';
import type { EventTypeStore } from './event-type-store.ts';

/** A page of a cursor-paginated list; `nextCursor` is null on the last page. */
/** The database cannot be used by this process (another process owns it): the operator must act. */
export class DatabaseInUseError extends Error {}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}

/** Settings left out take their defaults. */
export type NewOrganization = Omit<Organization, 'settings'> & { settings?: OrgSettings };
export type OrgPatch = { name?: string; settings?: Partial<OrgSettings> };

export type NewEndpoint = Omit<Endpoint, 'createdAt' | 'updatedAt' | 'previousSecrets'> & {
  previousSecrets?: Endpoint['previousSecrets'];
};
/** Secrets change only through rotateEndpointSecret, which keeps the old one signing. */
export type EndpointPatch = Partial<
  Omit<Endpoint, 'id' | 'orgId' | 'createdAt' | 'updatedAt' | 'secret' | 'previousSecrets'>
>;

/** An endpoint's stored secret fields exactly as stored (sealed), for re-encryption. */
export type EndpointSecrets = Pick<
  Endpoint,
  'id' | 'secret' | 'auth' | 'previousSecrets' | 'headers'
>;

export interface SecretRotation {
  /** The new current secret. */
  secret: string;
  /** Until when the replaced secret keeps signing; at or before `now` it stops at once. */
  previousExpiresAt: number;
}

/** A time window cut into equal buckets: [since, until). */
export interface ActivityWindow {
  since: number;
  until: number;
  bucketMs: number;
}

export interface IngestInput {
  event: HeraldEvent;
  /** Deliver only to this endpoint (test events), whatever its subscription. */
  onlyEndpointId?: string;
  /** An idempotency key seen within this window returns the original event. */
  idempotencyWindowMs: number;
}

export interface IngestResult {
  event: HeraldEvent;
  deliveries: number;
  /** True when the idempotency key matched an earlier event: nothing was created. */
  duplicate: boolean;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  endpointId?: string;
  eventId?: string;
  eventType?: string;
  /** Only deliveries created at or after this time. */
  since?: number;
  /** Only deliveries created before this time. */
  until?: number;
}

/** Everything a worker needs to make one attempt, read in the claim. */
export interface ClaimedDelivery {
  deliveryId: string;
  /** The number this attempt will carry (attempts recorded so far + 1). */
  attemptNumber: number;
  event: HeraldEvent;
  endpoint: Endpoint;
  /**
   * When this claim's lease ends. It also tells this claim from a later one
   * of the same delivery, taken after the lease ended: only the current
   * claim's result settles the delivery (AttemptRecord.leaseUntil).
   */
  leaseUntil: number;
}

export interface ClaimRequest {
  now: number;
  limit: number;
  /** How long a claim holds before another worker may take the delivery back. */
  leaseMs: number;
}

/** One finished attempt and the state it moves its delivery to. */
export interface AttemptRecord {
  attemptId: string;
  deliveryId: string;
  endpointId: string;
  attemptNumber: number;
  /** The claim's leaseUntil: a stale claim's result is logged but moves nothing. */
  leaseUntil: number;
  result: SendResult;
  outcome: Outcome;
}

/**
 * Herald's persistence port. SQLite and PostgreSQL implement it and pass one
 * shared test suite. Every method is one transaction.
 */
export interface Store extends EventTypeStore, CertificateStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending migrations (`herald migrate`). */
  migrate(): Promise<void>;
  /** Makes the store ready for work: migrations, then recovery of work a dead process left. */
  open(now: number): Promise<void>;
  close(): Promise<void>;
  /**
   * Calls `onDue` when another process may have made work due (PostgreSQL:
   * LISTEN/NOTIFY, so an ingest on one node wakes idle workers on the others).
   * Resolves to a function that stops watching. SQLite has a single process,
   * whose API wakes its own worker: there is nothing to watch.
   */
  watchDue(onDue: () => void, onError: (error: Error) => void): Promise<() => Promise<void>>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  createOrg(org: NewOrganization): Promise<Organization>;
  listOrgs(page: PageRequest): Promise<Page<Organization>>;
  getOrg(id: string): Promise<Organization | undefined>;
  updateOrg(id: string, patch: OrgPatch, now: number): Promise<Organization | undefined>;
  /** Removes the organization with everything it owns. */
  deleteOrg(id: string): Promise<boolean>;

  /** Stores a new API key by the SHA-256 (hex) of the key. */
  createApiKey(key: ApiKey, hash: string): Promise<ApiKey>;
  /** The organization's keys that are not revoked, newest first. */
  listApiKeys(orgId: string, page: PageRequest): Promise<Page<ApiKey>>;
  /** The live key with this hash, if any; notes its use (at most once a minute, to spare writes). */
  useApiKey(hash: string, now: number): Promise<ApiKey | undefined>;
  revokeApiKey(orgId: string, id: string, now: number): Promise<boolean>;

  createEndpoint(endpoint: NewEndpoint, now: number): Promise<Endpoint>;
  listEndpoints(orgId: string, page: PageRequest): Promise<Page<Endpoint>>;
  getEndpoint(orgId: string, id: string): Promise<Endpoint | undefined>;
  /** Disabling an endpoint cancels its pending deliveries in the same transaction. */
  updateEndpoint(
    orgId: string,
    id: string,
    patch: EndpointPatch,
    now: number,
  ): Promise<Endpoint | undefined>;
  /**
   * Makes `rotation.secret` the endpoint's secret; the replaced one joins the
   * previous secrets until `previousExpiresAt`, and expired ones are dropped.
   */
  rotateEndpointSecret(
    orgId: string,
    id: string,
    rotation: SecretRotation,
    now: number,
  ): Promise<Endpoint | undefined>;
  /** Every endpoint's secret fields as stored, deleted endpoints too, in id order after `afterId`. */
  listEndpointSecrets(afterId: string, limit: number): Promise<EndpointSecrets[]>;
  /** Rewrites stored secret fields (re-encryption); nothing else of the endpoint changes. */
  putEndpointSecrets(items: EndpointSecrets[]): Promise<void>;
  /** Hides the endpoint and cancels its pending deliveries; its history stays readable. */
  deleteEndpoint(orgId: string, id: string, now: number): Promise<boolean>;
  endpointStats(orgId: string, id: string): Promise<EndpointStats>;
  /** The endpoint's attempts in a window: outcome counts per bucket and latency percentiles. */
  endpointActivity(orgId: string, id: string, window: ActivityWindow): Promise<EndpointActivity>;
  /** Puts failed deliveries of an endpoint created since `since` back in the queue. */
  recoverEndpoint(orgId: string, id: string, since: number, now: number): Promise<number>;

  /** Stores the event and one pending delivery per matching endpoint, atomically. */
  ingest(input: IngestInput): Promise<IngestResult>;
  listEvents(
    orgId: string,
    filter: { type?: string },
    page: PageRequest,
  ): Promise<Page<HeraldEvent>>;
  getEvent(orgId: string, id: string): Promise<HeraldEvent | undefined>;

  listDeliveries(orgId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>>;
  getDelivery(orgId: string, id: string): Promise<(Delivery & { attempts: Attempt[] }) | undefined>;
  /**
   * Makes the delivery due now, whatever its state, and ends its endpoint's
   * breaker cool-down (domain/endpoint-health.ts); one in flight is left alone
   * and reported as `sending`.
   */
  retryDelivery(orgId: string, id: string, now: number): Promise<Delivery | undefined | 'sending'>;

  /**
   * Claims due deliveries, never exceeding any endpoint's maxConcurrency or
   * rateLimitPerSecond, holding deliveries behind an open breaker (one probe
   * after the cool-down) and sending FIFO endpoints' deliveries one at a time
   * in creation order (domain/claim-plan.ts).
   */
  claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]>;
  /**
   * Records finished attempts and moves their deliveries on, in one
   * transaction; folds them into each endpoint's health (breaker, auto-disable
   * with `endpoint.disabled` published; domain/endpoint-health.ts).
   */
  recordAttempts(records: AttemptRecord[], now: number, policy?: HealthPolicy): Promise<void>;
  /**
   * recordAttempts, then claimDue, as one unit: the worker's cycle, where the
   * slots a recorded batch frees are refilled at once. The claim sees what the
   * record just did (freed slots, a closed breaker's released backlog).
   * Nothing is recorded if it fails.
   */
  recordAndClaim(
    records: AttemptRecord[],
    now: number,
    policy: HealthPolicy | undefined,
    claim: ClaimRequest,
  ): Promise<ClaimedDelivery[]>;
  /**
   * Returns deliveries whose lease expired (a worker died) to the queue, and
   * cancels pending ones a racing ingest left to a disabled or deleted
   * endpoint (PostgreSQL: SQLite's writes run one at a time).
   */
  releaseExpiredLeases(now: number): Promise<number>;
  /** The earliest time a pending delivery becomes due, if any. */
  nextDueAt(): Promise<number | undefined>;
  /** Deliveries waiting or in flight, for metrics. */
  queueDepth(): Promise<number>;

  /**
   * Claims tick `tick` of a scheduled job for the caller: true for exactly one
   * caller per (job, tick) across every node sharing the database.
   */
  claimJobRun(job: string, tick: number, now: number): Promise<boolean>;
  /**
   * Retention: deletes up to `limit` events created before `before`, with their
   * deliveries and attempts, skipping any event with a delivery still pending
   * or sending. Returns how many events went.
   */
  purgeEvents(before: number, limit: number): Promise<number>;
}

import type {
  BadgePatch,
  CertificateFilter,
  NewBadge,
  NewCertificate,
} from '../../certificates/types.ts';
import type { HealthPolicy } from '../../domain/endpoint-health.ts';
import type { ApiKey } from '../../domain/types.ts';
import type {
  EventTypeDefinition,
  EventTypePatch,
  EventTypeSeed,
} from '../../event-types/types.ts';
import type { CertificateEvents } from '../certificate-store.ts';
import { EndpointCache } from '../endpoint-cache.ts';
import type {
  ActivityWindow,
  AttemptRecord,
  ClaimRequest,
  DeliveryFilter,
  EndpointPatch,
  EndpointSecrets,
  IngestInput,
  NewEndpoint,
  NewOrganization,
  OrgPatch,
  PageRequest,
  SecretRotation,
  Store,
} from '../store.ts';
import * as apiKeys from './api-keys.ts';
import * as badges from './badges.ts';
import * as certificates from './certificates.ts';
import { PgDb, type PgOptions } from './database.ts';
import * as deliveries from './deliveries.ts';
import { DueListener } from './due-listener.ts';
import { endpointActivity } from './endpoint-activity.ts';
import * as endpointSecrets from './endpoint-secrets.ts';
import * as endpoints from './endpoints.ts';
import * as eventTypes from './event-types.ts';
import * as events from './events.ts';
import * as maintenance from './maintenance.ts';
import * as orgs from './orgs.ts';
import * as queue from './queue.ts';
import { recordAttempts } from './record.ts';
import { toPgEndpoint } from './rows.ts';

/**
 * The clustered store: any number of Herald nodes share one PostgreSQL, which
 * is the only coordinator (row locks for claims, leases for crashes,
 * LISTEN/NOTIFY for wake-ups, advisory locks for migrations).
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres';
  readonly db: PgDb;
  readonly #endpoints: queue.ClaimEndpoints = new EndpointCache(toPgEndpoint);

  constructor(options: PgOptions) {
    this.db = new PgDb(options);
  }

  async migrate() {
    await this.db.migrate();
  }

  /**
   * Only migrations. Unlike SQLite, rows still `sending` may belong to live
   * nodes: they come back only when their lease expires.
   */
  async open(_now: number) {
    await this.db.migrate();
  }

  async close() {
    await this.db.close();
  }

  async watchDue(onDue: () => void, onError: (error: Error) => void) {
    const listener = new DueListener(this.db, onDue, onError);
    await listener.start();
    return () => listener.stop();
  }

  async getMeta(key: string) {
    const { rows } = await this.db.query<{ value: string }>(
      'SELECT value FROM meta WHERE key = $1',
      [key],
    );
    return rows[0]?.value;
  }

  async setMeta(key: string, value: string) {
    await this.db.query(
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  createOrg(org: NewOrganization) {
    return orgs.createOrg(this.db, org);
  }
  listOrgs(page: PageRequest) {
    return orgs.listOrgs(this.db, page);
  }
  getOrg(id: string) {
    return orgs.getOrg(this.db, id);
  }
  updateOrg(id: string, patch: OrgPatch, now: number) {
    return orgs.updateOrg(this.db, id, patch, now);
  }
  deleteOrg(id: string) {
    return orgs.deleteOrg(this.db, id);
  }

  createApiKey(key: ApiKey, hash: string) {
    return apiKeys.createApiKey(this.db, key, hash);
  }
  listApiKeys(orgId: string, page: PageRequest) {
    return apiKeys.listApiKeys(this.db, orgId, page);
  }
  useApiKey(hash: string, now: number) {
    return apiKeys.useApiKey(this.db, hash, now);
  }
  revokeApiKey(orgId: string, id: string, now: number) {
    return apiKeys.revokeApiKey(this.db, orgId, id, now);
  }

  createEndpoint(endpoint: NewEndpoint, now: number) {
    return endpoints.createEndpoint(this.db, endpoint, now);
  }
  listEndpoints(orgId: string, page: PageRequest) {
    return endpoints.listEndpoints(this.db, orgId, page);
  }
  getEndpoint(orgId: string, id: string) {
    return endpoints.getEndpoint(this.db, orgId, id);
  }
  updateEndpoint(orgId: string, id: string, patch: EndpointPatch, now: number) {
    return endpoints.updateEndpoint(this.db, orgId, id, patch, now);
  }
  rotateEndpointSecret(orgId: string, id: string, rotation: SecretRotation, now: number) {
    return endpoints.rotateEndpointSecret(this.db, orgId, id, rotation, now);
  }
  listEndpointSecrets(afterId: string, limit: number) {
    return endpointSecrets.listEndpointSecrets(this.db, afterId, limit);
  }
  putEndpointSecrets(items: EndpointSecrets[]) {
    return endpointSecrets.putEndpointSecrets(this.db, items);
  }
  deleteEndpoint(orgId: string, id: string, now: number) {
    return endpoints.deleteEndpoint(this.db, orgId, id, now);
  }
  endpointStats(_orgId: string, id: string) {
    return endpoints.endpointStats(this.db, id);
  }
  endpointActivity(_orgId: string, id: string, window: ActivityWindow) {
    return endpointActivity(this.db, id, window);
  }
  recoverEndpoint(_orgId: string, id: string, since: number, now: number) {
    return deliveries.recoverEndpoint(this.db, id, since, now);
  }

  ingest(input: IngestInput) {
    return events.ingest(this.db, input);
  }
  listEvents(orgId: string, filter: { type?: string }, page: PageRequest) {
    return events.listEvents(this.db, orgId, filter, page);
  }
  getEvent(orgId: string, id: string) {
    return events.getEvent(this.db, orgId, id);
  }

  seedEventTypes(seeds: EventTypeSeed[], now: number) {
    return eventTypes.seedEventTypes(this.db, seeds, now);
  }
  listEventTypes() {
    return eventTypes.listEventTypes(this.db);
  }
  getEventType(name: string) {
    return eventTypes.getEventType(this.db, name);
  }
  createEventType(
    type: Omit<EventTypeDefinition, 'version' | 'builtIn' | 'createdAt' | 'updatedAt'>,
    now: number,
  ) {
    return eventTypes.createEventType(this.db, type, now);
  }
  updateEventType(name: string, patch: EventTypePatch, now: number) {
    return eventTypes.updateEventType(this.db, name, patch, now);
  }

  createBadge(badge: NewBadge, now: number) {
    return badges.createBadge(this.db, badge, now);
  }
  listBadges(orgId: string, page: PageRequest) {
    return badges.listBadges(this.db, orgId, page);
  }
  getBadge(orgId: string, id: string) {
    return badges.getBadge(this.db, orgId, id);
  }
  updateBadge(orgId: string, id: string, patch: BadgePatch, now: number) {
    return badges.updateBadge(this.db, orgId, id, patch, now);
  }
  deleteBadge(orgId: string, id: string, now: number) {
    return badges.deleteBadge(this.db, orgId, id, now);
  }
  awardCertificate(certificate: NewCertificate, events: CertificateEvents) {
    return certificates.awardCertificate(this.db, certificate, events);
  }
  listCertificates(orgId: string, filter: CertificateFilter, page: PageRequest) {
    return certificates.listCertificates(this.db, orgId, filter, page);
  }
  getCertificate(orgId: string, id: string) {
    return certificates.getCertificate(this.db, orgId, id);
  }
  revokeCertificate(orgId: string, id: string, now: number) {
    return certificates.revokeCertificate(this.db, orgId, id, now);
  }
  remindExpiringCertificates(
    now: number,
    windowMs: number,
    limit: number,
    events: CertificateEvents,
  ) {
    return certificates.remindExpiringCertificates(this.db, now, windowMs, limit, events);
  }
  expireCertificates(now: number, limit: number, events: CertificateEvents) {
    return certificates.expireCertificates(this.db, now, limit, events);
  }

  listDeliveries(orgId: string, filter: DeliveryFilter, page: PageRequest) {
    return deliveries.listDeliveries(this.db, orgId, filter, page);
  }
  getDelivery(orgId: string, id: string) {
    return deliveries.getDelivery(this.db, orgId, id);
  }
  retryDelivery(orgId: string, id: string, now: number) {
    return deliveries.retryDelivery(this.db, orgId, id, now);
  }

  claimDue(request: ClaimRequest) {
    return queue.claimDue(this.db, request, this.#endpoints);
  }
  recordAttempts(records: AttemptRecord[], now: number, policy?: HealthPolicy) {
    return recordAttempts(this.db, records, now, policy);
  }
  recordAndClaim(
    records: AttemptRecord[],
    now: number,
    policy: HealthPolicy | undefined,
    claim: ClaimRequest,
  ) {
    return queue.recordAndClaim(this.db, records, now, policy, claim, this.#endpoints);
  }
  releaseExpiredLeases(now: number) {
    return queue.releaseExpiredLeases(this.db, now);
  }
  nextDueAt() {
    return queue.nextDueAt(this.db);
  }
  queueDepth() {
    return queue.queueDepth(this.db);
  }

  claimJobRun(job: string, tick: number, now: number) {
    return maintenance.claimJobRun(this.db, job, tick, now);
  }
  purgeEvents(before: number, limit: number) {
    return maintenance.purgeEvents(this.db, before, limit);
  }
}

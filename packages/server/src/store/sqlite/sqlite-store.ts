import type {
  BadgePatch,
  CertificateFilter,
  NewBadge,
  NewCertificate,
} from '../../certificates/types.ts';
import type { HealthPolicy } from '../../domain/endpoint-health.ts';
import type { ApiKey, Organization } from '../../domain/types.ts';
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
  IngestResult,
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
import { startCheckpointer } from './checkpointer.ts';
import { Db } from './database.ts';
import * as deliveries from './deliveries.ts';
import { endpointActivity } from './endpoint-activity.ts';
import * as endpointSecrets from './endpoint-secrets.ts';
import * as endpoints from './endpoints.ts';
import * as eventTypes from './event-types.ts';
import * as events from './events.ts';
import { groupCommit } from './group-commit.ts';
import * as maintenance from './maintenance.ts';
import * as orgs from './orgs.ts';
import * as queue from './queue.ts';
import { toEndpoint } from './rows.ts';

/**
 * The embedded store. node:sqlite is synchronous; the methods are async only to
 * share the Store port with PostgreSQL. One process owns the file.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite';
  readonly db: Db;

  readonly #location: string;
  readonly #ingest: (input: IngestInput) => Promise<IngestResult>;
  readonly #endpoints: queue.ClaimEndpoints = new EndpointCache(toEndpoint);
  #stopCheckpointer?: () => Promise<void>;
  /**
   * Organizations and the event-type catalog, read on every ingest (the org
   * twice). One process owns the file and every write to these tables goes
   * through the methods below, which drop what they change: the caches are
   * exact. Entries are frozen, so no caller can change a shared copy.
   */
  readonly #orgs = new Map<string, Organization>();
  #eventTypes?: Map<string, EventTypeDefinition>;

  constructor(location: string) {
    this.#location = location;
    this.db = new Db(location);
    this.#ingest = groupCommit(this.db, (input) => events.ingest(this.db, input));
  }

  async migrate() {
    this.db.migrate();
  }

  /**
   * One process owns the file, so whatever is still `sending` when it opens
   * was left by a process that died: it goes straight back to the queue.
   */
  async open(now: number) {
    this.db.migrate();
    queue.releaseLeases(this.db, now, Number.MAX_SAFE_INTEGER);
    if (this.#location !== ':memory:' && !this.#stopCheckpointer)
      this.#stopCheckpointer = startCheckpointer(this.db);
  }

  async close() {
    await this.#stopCheckpointer?.();
    this.db.close();
  }

  async watchDue() {
    return async () => {};
  }

  async getMeta(key: string) {
    return this.db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)?.value;
  }

  async setMeta(key: string, value: string) {
    this.db.run(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      key,
      value,
    );
  }

  async createOrg(org: NewOrganization) {
    return orgs.createOrg(this.db, org);
  }
  async listOrgs(page: PageRequest) {
    return orgs.listOrgs(this.db, page);
  }
  async getOrg(id: string) {
    let org = this.#orgs.get(id);
    if (!org) {
      org = orgs.getOrg(this.db, id);
      if (!org) return undefined;
      org = Object.freeze({ ...org, settings: Object.freeze(org.settings) });
      this.#orgs.set(id, org);
    }
    return org;
  }
  async updateOrg(id: string, patch: OrgPatch, now: number) {
    this.#orgs.delete(id);
    return orgs.updateOrg(this.db, id, patch, now);
  }
  async deleteOrg(id: string) {
    this.#orgs.delete(id);
    return orgs.deleteOrg(this.db, id);
  }

  async createApiKey(key: ApiKey, hash: string) {
    return apiKeys.createApiKey(this.db, key, hash);
  }
  async listApiKeys(orgId: string, page: PageRequest) {
    return apiKeys.listApiKeys(this.db, orgId, page);
  }
  async useApiKey(hash: string, now: number) {
    return apiKeys.useApiKey(this.db, hash, now);
  }
  async revokeApiKey(orgId: string, id: string, now: number) {
    return apiKeys.revokeApiKey(this.db, orgId, id, now);
  }

  async createEndpoint(endpoint: NewEndpoint, now: number) {
    return endpoints.createEndpoint(this.db, endpoint, now);
  }
  async listEndpoints(orgId: string, page: PageRequest) {
    return endpoints.listEndpoints(this.db, orgId, page);
  }
  async getEndpoint(orgId: string, id: string) {
    return endpoints.getEndpoint(this.db, orgId, id);
  }
  async updateEndpoint(orgId: string, id: string, patch: EndpointPatch, now: number) {
    return endpoints.updateEndpoint(this.db, orgId, id, patch, now);
  }
  async rotateEndpointSecret(orgId: string, id: string, rotation: SecretRotation, now: number) {
    return endpoints.rotateEndpointSecret(this.db, orgId, id, rotation, now);
  }
  async listEndpointSecrets(afterId: string, limit: number) {
    return endpointSecrets.listEndpointSecrets(this.db, afterId, limit);
  }
  async putEndpointSecrets(items: EndpointSecrets[]) {
    return endpointSecrets.putEndpointSecrets(this.db, items);
  }
  async deleteEndpoint(orgId: string, id: string, now: number) {
    return endpoints.deleteEndpoint(this.db, orgId, id, now);
  }
  async endpointStats(_orgId: string, id: string) {
    return endpoints.endpointStats(this.db, id);
  }
  async endpointActivity(_orgId: string, id: string, window: ActivityWindow) {
    return endpointActivity(this.db, id, window);
  }
  async recoverEndpoint(_orgId: string, id: string, since: number, now: number) {
    return deliveries.recoverEndpoint(this.db, id, since, now);
  }

  async ingest(input: IngestInput) {
    return this.#ingest(input);
  }
  async listEvents(orgId: string, filter: { type?: string }, page: PageRequest) {
    return events.listEvents(this.db, orgId, filter, page);
  }
  async getEvent(orgId: string, id: string) {
    return events.getEvent(this.db, orgId, id);
  }

  async seedEventTypes(seeds: EventTypeSeed[], now: number) {
    this.#eventTypes = undefined;
    eventTypes.seedEventTypes(this.db, seeds, now);
  }
  async listEventTypes() {
    return eventTypes.listEventTypes(this.db);
  }
  async getEventType(name: string) {
    // The whole catalog is loaded at once: a type outside it (free-form) is a miss too.
    this.#eventTypes ??= new Map(
      eventTypes.listEventTypes(this.db).map((type) => [type.name, Object.freeze(type)]),
    );
    return this.#eventTypes.get(name);
  }
  async createEventType(
    type: Omit<EventTypeDefinition, 'version' | 'builtIn' | 'createdAt' | 'updatedAt'>,
    now: number,
  ) {
    this.#eventTypes = undefined;
    return eventTypes.createEventType(this.db, type, now);
  }
  async updateEventType(name: string, patch: EventTypePatch, now: number) {
    this.#eventTypes = undefined;
    return eventTypes.updateEventType(this.db, name, patch, now);
  }

  async createBadge(badge: NewBadge, now: number) {
    return badges.createBadge(this.db, badge, now);
  }
  async listBadges(orgId: string, page: PageRequest) {
    return badges.listBadges(this.db, orgId, page);
  }
  async getBadge(orgId: string, id: string) {
    return badges.getBadge(this.db, orgId, id);
  }
  async updateBadge(orgId: string, id: string, patch: BadgePatch, now: number) {
    return badges.updateBadge(this.db, orgId, id, patch, now);
  }
  async deleteBadge(orgId: string, id: string, now: number) {
    return badges.deleteBadge(this.db, orgId, id, now);
  }
  async awardCertificate(certificate: NewCertificate, events: CertificateEvents) {
    return certificates.awardCertificate(this.db, certificate, events);
  }
  async listCertificates(orgId: string, filter: CertificateFilter, page: PageRequest) {
    return certificates.listCertificates(this.db, orgId, filter, page);
  }
  async getCertificate(orgId: string, id: string) {
    return certificates.getCertificate(this.db, orgId, id);
  }
  async revokeCertificate(orgId: string, id: string, now: number) {
    return certificates.revokeCertificate(this.db, orgId, id, now);
  }
  async remindExpiringCertificates(
    now: number,
    windowMs: number,
    limit: number,
    events: CertificateEvents,
  ) {
    return certificates.remindExpiringCertificates(this.db, now, windowMs, limit, events);
  }
  async expireCertificates(now: number, limit: number, events: CertificateEvents) {
    return certificates.expireCertificates(this.db, now, limit, events);
  }

  async listDeliveries(orgId: string, filter: DeliveryFilter, page: PageRequest) {
    return deliveries.listDeliveries(this.db, orgId, filter, page);
  }
  async getDelivery(orgId: string, id: string) {
    return deliveries.getDelivery(this.db, orgId, id);
  }
  async retryDelivery(orgId: string, id: string, now: number) {
    return deliveries.retryDelivery(this.db, orgId, id, now);
  }

  // The worker's writes wait while the checkpoint thread restarts the WAL (a
  // few ms): taking the write lock then would sleep on the event loop.
  async claimDue(request: ClaimRequest) {
    await this.db.gate.wait();
    return queue.claimDue(this.db, request, this.#endpoints);
  }
  async recordAttempts(records: AttemptRecord[], now: number, policy?: HealthPolicy) {
    await this.db.gate.wait();
    queue.recordAttempts(this.db, records, now, policy);
  }
  async recordAndClaim(
    records: AttemptRecord[],
    now: number,
    policy: HealthPolicy | undefined,
    claim: ClaimRequest,
  ) {
    await this.db.gate.wait();
    return queue.recordAndClaim(this.db, records, now, policy, claim, this.#endpoints);
  }
  async releaseExpiredLeases(now: number) {
    return queue.releaseLeases(this.db, now);
  }
  async nextDueAt() {
    return queue.nextDueAt(this.db);
  }
  async queueDepth() {
    return queue.queueDepth(this.db);
  }

  async claimJobRun(job: string, tick: number, now: number) {
    return maintenance.claimJobRun(this.db, job, tick, now);
  }
  async purgeEvents(before: number, limit: number) {
    return maintenance.purgeEvents(this.db, before, limit);
  }
}

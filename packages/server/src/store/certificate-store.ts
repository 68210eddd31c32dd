import type {
  Badge,
  BadgePatch,
  Certificate,
  CertificateFilter,
  NewBadge,
  NewCertificate,
} from '../certificates/types.ts';
import type { HeraldEvent } from '../domain/types.ts';
import type { Page, PageRequest } from './store.ts';

/**
 * Builds the events a certificate change publishes, from the row as it is
 * after the change; the store ingests them in the same transaction.
 */
export type CertificateEvents = (certificate: Certificate) => HeraldEvent[];

/** What one batch of a certificate transition did. */
export interface TransitionResult {
  certificates: Certificate[];
  deliveries: number;
}

export interface CertificateStore {
  createBadge(badge: NewBadge, now: number): Promise<Badge>;
  listBadges(orgId: string, page: PageRequest): Promise<Page<Badge>>;
  getBadge(orgId: string, id: string): Promise<Badge | undefined>;
  updateBadge(
    orgId: string,
    id: string,
    patch: BadgePatch,
    now: number,
  ): Promise<Badge | undefined>;
  /** Hides the badge; certificates already awarded keep referring to it. */
  deleteBadge(orgId: string, id: string, now: number): Promise<boolean>;

  /**
   * Inserts the certificate with the organization's next number and ingests
   * its events, atomically: no certificate without its events, nor the reverse.
   */
  awardCertificate(
    certificate: NewCertificate,
    events: CertificateEvents,
  ): Promise<{ certificate: Certificate; deliveries: number }>;
  listCertificates(
    orgId: string,
    filter: CertificateFilter,
    page: PageRequest,
  ): Promise<Page<Certificate>>;
  getCertificate(orgId: string, id: string): Promise<Certificate | undefined>;
  /** Sets `disabled`, bumping updatedAt and __v; undefined when there is no such certificate. */
  revokeCertificate(orgId: string, id: string, now: number): Promise<Certificate | undefined>;

  /**
   * Up to `limit` live certificates expiring within `windowMs` whose reminder
   * is unsent: each is flipped to expiryReminderSent (updatedAt, __v bumped)
   * by a conditional update, and only a row this call flipped publishes.
   */
  remindExpiringCertificates(
    now: number,
    windowMs: number,
    limit: number,
    events: CertificateEvents,
  ): Promise<TransitionResult>;
  /** The same for certificates whose `expires` has passed: each publishes exactly once, ever. */
  expireCertificates(
    now: number,
    limit: number,
    events: CertificateEvents,
  ): Promise<TransitionResult>;
}

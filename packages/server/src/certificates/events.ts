import { newId } from '../domain/ids.ts';
import type { HeraldEvent } from '../domain/types.ts';
import type { CertificateEvents } from '../store/certificate-store.ts';
import { badgeUserDocument } from './badge-user.ts';
import { seablyCertificate } from './seably.ts';
import type { Certificate } from './types.ts';

export const CERTIFICATE_COMPLETED = 'certificate_completed';
export const CERTIFICATE_EXPIRING = 'certificate_expiring';
export const CERTIFICATE_EXPIRED = 'certificate_expired';
export const CERTIFICATE_CREATED = 'certificate.created';

function event(certificate: Certificate, type: string, payload: unknown, now: number): HeraldEvent {
  return {
    id: newId('evt', now),
    orgId: certificate.orgId,
    type,
    payloadJson: JSON.stringify(payload),
    idempotencyKey: null,
    createdAt: now,
  };
}

/** Awarding publishes both dialects: Beedeez's BadgeUser and Seably's certificate. */
export const awardedEvents =
  (now: number): CertificateEvents =>
  (certificate) => [
    event(certificate, CERTIFICATE_COMPLETED, badgeUserDocument(certificate), now),
    event(certificate, CERTIFICATE_CREATED, seablyCertificate(certificate), now),
  ];

export const expiringEvents =
  (now: number): CertificateEvents =>
  (certificate) => [event(certificate, CERTIFICATE_EXPIRING, badgeUserDocument(certificate), now)];

export const expiredEvents =
  (now: number): CertificateEvents =>
  (certificate) => [event(certificate, CERTIFICATE_EXPIRED, badgeUserDocument(certificate), now)];

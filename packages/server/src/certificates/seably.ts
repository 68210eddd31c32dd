import { certificateStatus } from './status.ts';
import type { Certificate } from './types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Seably's workspace-sequential certificate id: `SB-` and eight digits. */
export const seablyId = (number: number) => `SB-${String(number).padStart(8, '0')}`;

/** As of the award, when certificate.created is sent: one awarded already expired says so. */
function seablyStatus(certificate: Certificate) {
  const status = certificateStatus(certificate, certificate.createdAt, 0);
  if (status === 'disabled') return 'revoked' as const;
  return status === 'expired' ? ('expired' as const) : ('valid' as const);
}

/** The certificate object of Seably's `certificate.created` (wrapped by the `envelope` format). */
export function seablyCertificate(certificate: Certificate) {
  return {
    type: 'certificate' as const,
    id: seablyId(certificate.number),
    badgeUserId: certificate.id,
    status: seablyStatus(certificate),
    user: { id: certificate.userId, ...certificate.user },
    course: {
      id: certificate.badgeId,
      name: certificate.ruleData.name,
      description: certificate.ruleData.description,
    },
    awardedBy: certificate.awardedBy,
    issuedAt: iso(certificate.creationDate),
    expiresAt: certificate.expires === null ? null : iso(certificate.expires),
    createdAt: iso(certificate.createdAt),
  };
}

import type { Certificate } from './types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The BadgeUser document, in the field order of the Beedeez examples: the
 * payload of certificate_completed, certificate_expiring and certificate_expired.
 */
export function badgeUserDocument(certificate: Certificate) {
  const { ruleData } = certificate;
  return {
    _id: certificate.id,
    _userId: certificate.userId,
    _ownerId: certificate.ownerId,
    _badgeId: certificate.badgeId,
    creationDate: iso(certificate.creationDate),
    expires: certificate.expires === null ? null : iso(certificate.expires),
    disabled: certificate.disabled,
    expiryReminderSent: certificate.expiryReminderSent,
    _lessonActiveIds: certificate.lessonActiveIds,
    ruleData: {
      type: ruleData.type,
      name: ruleData.name,
      description: ruleData.description,
      validityDurationDays: ruleData.validityDurationDays,
    },
    createdAt: iso(certificate.createdAt),
    updatedAt: iso(certificate.updatedAt),
    // Mongoose's version key: it moves only when an array changes, and a
    // certificate's never does, so the reminder, the expiry and a revoke
    // leave it as awarded (the expired example of the seeds keeps 0).
    __v: certificate.version,
  };
}

export type BadgeUser = ReturnType<typeof badgeUserDocument>;

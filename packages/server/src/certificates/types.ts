/**
 * badge        a certificate definition of an organization (name, rule, validity)
 * certificate  a badge awarded to one user: the BadgeUser document receivers get
 * Ids of both are 24-hex ObjectId strings, as the platforms' receivers expect.
 */

export type AwardedBy = 'completion' | 'automatic' | 'admin';

export interface Badge {
  id: string;
  orgId: string;
  name: string;
  description: string;
  ruleType: string;
  /** null: certificates of this badge never expire. */
  validityDurationDays: number | null;
  lessonIds: string[];
  createdAt: number;
  updatedAt: number;
}

export type NewBadge = Omit<Badge, 'createdAt' | 'updatedAt'>;
export type BadgePatch = Partial<
  Pick<Badge, 'name' | 'description' | 'ruleType' | 'validityDurationDays' | 'lessonIds'>
>;

/** The badge as it was when awarded: the certificate keeps it even if the badge changes. */
export interface RuleData {
  type: string;
  name: string;
  description: string;
  validityDurationDays: number | null;
}

export interface Certificate {
  id: string;
  orgId: string;
  /** Workspace-sequential number, 1-based (Seably's `SB-00000001`). */
  number: number;
  userId: string;
  ownerId: string;
  badgeId: string;
  creationDate: number;
  expires: number | null;
  disabled: boolean;
  expiryReminderSent: boolean;
  /** When certificate_expired was published; null until then. */
  expiredPublishedAt: number | null;
  lessonActiveIds: string[];
  ruleData: RuleData;
  awardedBy: AwardedBy;
  user: { name?: string; email?: string } | null;
  /** MongoDB's `__v`. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

export type NewCertificate = Omit<Certificate, 'number'>;

export type CertificateStatus = 'active' | 'expiring' | 'expired' | 'disabled';

export interface CertificateFilter {
  userId?: string;
  badgeId?: string;
  status?: CertificateStatus;
  /** The instant statuses are judged at. */
  now: number;
  /** How close to `expires` a certificate counts as expiring. */
  expiringWithinMs: number;
}

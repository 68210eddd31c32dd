import { notFound, validation } from '../domain/errors.ts';
import type { Organization } from '../domain/types.ts';
import type { Store } from '../store/store.ts';
import { awardedEvents } from './events.ts';
import { newObjectId, ownerObjectId } from './object-id.ts';
import type { AwardedBy, Certificate } from './types.ts';

const DAY = 24 * 60 * 60 * 1000;

export interface AwardInput {
  userId: string;
  badgeId: string;
  lessonActiveIds?: string[];
  awardedBy: AwardedBy;
  /** ISO 8601; overrides the badge's validity period (also how short-lived certificates are tested). */
  expires?: string | null;
  user?: { name?: string; email?: string };
}

/**
 * Awards a badge to a user: the certificate row and its certificate_completed
 * and certificate.created events commit together, or not at all.
 */
export async function awardCertificate(
  store: Store,
  org: Organization,
  input: AwardInput,
  now: number,
): Promise<{ certificate: Certificate; deliveries: number }> {
  const badge = await store.getBadge(org.id, input.badgeId);
  if (!badge) throw notFound('badge', input.badgeId);
  let expires: number | null;
  if (input.expires !== undefined) {
    expires = input.expires === null ? null : Date.parse(input.expires);
    if (Number.isNaN(expires)) throw validation('expires', 'must be an ISO 8601 date-time');
  } else {
    expires = badge.validityDurationDays === null ? null : now + badge.validityDurationDays * DAY;
  }
  return store.awardCertificate(
    {
      id: newObjectId(now),
      orgId: org.id,
      userId: input.userId,
      ownerId: ownerObjectId(org.id, org.createdAt),
      badgeId: badge.id,
      creationDate: now,
      expires,
      disabled: false,
      expiryReminderSent: false,
      expiredPublishedAt: null,
      lessonActiveIds: input.lessonActiveIds ?? [],
      ruleData: {
        type: badge.ruleType,
        name: badge.name,
        description: badge.description,
        validityDurationDays: badge.validityDurationDays,
      },
      awardedBy: input.awardedBy,
      user: input.user ?? null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    },
    awardedEvents(now),
  );
}

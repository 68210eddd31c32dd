import { createHash, randomBytes } from 'node:crypto';

/** A 24-hex MongoDB ObjectId string: what BadgeUser receivers parse ids as. */
export const OBJECT_ID = /^[0-9a-f]{24}$/;

const processRandom = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);

/** A new ObjectId: 4-byte seconds, 5 random bytes per process, 3-byte counter, like MongoDB's own. */
export function newObjectId(now: number): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, '0');
  return `${seconds}${processRandom}${counter.toString(16).padStart(6, '0')}`;
}

/**
 * The organization as a BadgeUser `_ownerId`. Derived, not stored: the same
 * organization always maps to the same ObjectId, on every node.
 */
export function ownerObjectId(orgId: string, orgCreatedAt: number): string {
  const seconds = Math.floor(orgCreatedAt / 1000)
    .toString(16)
    .padStart(8, '0');
  return seconds + createHash('sha256').update(orgId).digest('hex').slice(0, 16);
}

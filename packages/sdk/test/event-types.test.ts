import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BADGE_USER_SCHEMA } from '../../server/src/event-types/built-in/badge-user.ts';
import type { BadgeUserCertificate } from '../src/index.ts';

/** The keys a type declares non-optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

// The SDK type's required keys, listed: an optional key in the list, or a
// required one missing from it, does not compile (tsc runs before the tests).
const sdkRequired = [
  '_id',
  '_userId',
  '_ownerId',
  '_badgeId',
  'creationDate',
  'expires',
  'disabled',
  'expiryReminderSent',
  '_lessonActiveIds',
  'ruleData',
  'createdAt',
  'updatedAt',
] as const satisfies readonly RequiredKeys<BadgeUserCertificate>[];
const everyRequiredListed: [
  Exclude<RequiredKeys<BadgeUserCertificate>, (typeof sdkRequired)[number]>,
] extends [never]
  ? true
  : false = true;

// A receiver must never read `undefined` where its types promise a value.
test('BadgeUserCertificate requires only what the catalog schema requires', () => {
  assert.ok(everyRequiredListed);
  const schemaRequired = new Set<string>(BADGE_USER_SCHEMA.required);
  assert.deepEqual(
    sdkRequired.filter((key) => !schemaRequired.has(key)),
    [],
  );
});

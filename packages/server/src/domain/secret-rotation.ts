import type { Endpoint } from './types.ts';

const HOUR = 60 * 60 * 1000;

/** How long a rotated-out secret keeps signing unless the caller says otherwise. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * HOUR;
/** Longest grace a caller may ask for: a rotation should end. */
export const MAX_ROTATION_GRACE_MS = 7 * 24 * HOUR;

/**
 * The secrets a request to `endpoint` is signed with at `now`: the current one
 * first, then every rotated-out one still inside its grace period. Receivers
 * holding either secret verify (one `v1,` signature each, space-separated).
 */
export function signingSecrets(endpoint: Endpoint, now: number): string[] {
  return [
    endpoint.secret,
    ...endpoint.previousSecrets
      .filter((previous) => previous.expiresAt > now)
      .map((previous) => previous.secret),
  ];
}

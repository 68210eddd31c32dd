import type { Certificate, CertificateStatus } from './types.ts';

/**
 * A certificate's status at `now`, by the rules the list's `?status=` filter
 * uses: a live certificate within `expiringWithinMs` of `expires` is
 * `expiring` (it also counts as `active` for the filter).
 */
export function certificateStatus(
  certificate: Pick<Certificate, 'disabled' | 'expires'>,
  now: number,
  expiringWithinMs: number,
): CertificateStatus {
  if (certificate.disabled) return 'disabled';
  if (certificate.expires === null) return 'active';
  if (certificate.expires <= now) return 'expired';
  return certificate.expires <= now + expiringWithinMs ? 'expiring' : 'active';
}

import { expiredEvents, expiringEvents } from '../../certificates/events.ts';
import type { Store } from '../../store/store.ts';
import type { Job } from '../runner.ts';

const DAY = 24 * 60 * 60 * 1000;
const BATCH = 200;

export interface CertificateExpiryOptions {
  store: Store;
  /** The reminder goes out this many days before `expires`. */
  reminderDays: number;
  /** Tells the delivery worker new deliveries exist. */
  wake(): void;
}

/**
 * Publishes certificate_expiring once, `reminderDays` before expiry, then
 * certificate_expired once when `expires` passes. Exactly-once lives in the
 * store's conditional updates, so ticks may overlap, repeat or run on many nodes.
 */
export function certificateExpiryJob({ store, reminderDays, wake }: CertificateExpiryOptions): Job {
  return {
    name: 'certificate-expiry',
    async run(now) {
      let handled = 0;
      // A certificate found already past `expires` gets no late reminder, only certificate_expired.
      for (;;) {
        const batch = await store.remindExpiringCertificates(
          now,
          reminderDays * DAY,
          BATCH,
          expiringEvents(now),
        );
        handled += batch.certificates.length;
        if (batch.deliveries > 0) wake();
        if (batch.certificates.length < BATCH) break;
      }
      for (;;) {
        const batch = await store.expireCertificates(now, BATCH, expiredEvents(now));
        handled += batch.certificates.length;
        if (batch.deliveries > 0) wake();
        if (batch.certificates.length < BATCH) break;
      }
      return handled;
    },
  };
}

/**
 * Stands in for the reader's own code in the README examples. The tests that
 * run the examples read what reached it.
 */
import type { BadgeUserCertificate, SeablyCertificate, WebhookEvent } from '../src/index.ts';

export const received: { what: string; value: unknown }[] = [];

export async function recordCertificate(certificate: BadgeUserCertificate): Promise<void> {
  received.push({ what: 'certificate', value: certificate });
}

export async function markExpired(certificate: BadgeUserCertificate): Promise<void> {
  received.push({ what: 'expired', value: certificate });
}

export async function importSeablyCertificate(certificate: SeablyCertificate): Promise<void> {
  received.push({ what: 'seably', value: certificate });
}

export async function handle(event: WebhookEvent): Promise<void> {
  received.push({ what: 'event', value: event });
}

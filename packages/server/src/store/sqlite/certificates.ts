import type {
  Certificate,
  CertificateFilter,
  CertificateStatus,
  NewCertificate,
} from '../../certificates/types.ts';
import type { CertificateEvents, TransitionResult } from '../certificate-store.ts';
import type { Page, PageRequest } from '../store.ts';
import type { Db } from './database.ts';
import { ingest } from './events.ts';
import { toPage } from './rows.ts';

export interface CertificateRow {
  id: string;
  org_id: string;
  number: number;
  user_id: string;
  owner_id: string;
  badge_id: string;
  creation_date: number;
  expires: number | null;
  disabled: number;
  expiry_reminder_sent: number;
  expired_published_at: number | null;
  lesson_active_ids: string;
  rule_data: string;
  awarded_by: string;
  user_info: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export const toCertificate = (row: CertificateRow): Certificate => ({
  id: row.id,
  orgId: row.org_id,
  number: row.number,
  userId: row.user_id,
  ownerId: row.owner_id,
  badgeId: row.badge_id,
  creationDate: row.creation_date,
  expires: row.expires,
  disabled: row.disabled === 1,
  expiryReminderSent: row.expiry_reminder_sent === 1,
  expiredPublishedAt: row.expired_published_at,
  lessonActiveIds: JSON.parse(row.lesson_active_ids),
  ruleData: JSON.parse(row.rule_data),
  awardedBy: row.awarded_by as Certificate['awardedBy'],
  user: row.user_info === null ? null : JSON.parse(row.user_info),
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Ingests the events built from the certificate's current row; returns the deliveries made. */
function publish(db: Db, certificate: Certificate, events: CertificateEvents): number {
  let deliveries = 0;
  for (const event of events(certificate)) {
    deliveries += ingest(db, { event, idempotencyWindowMs: 0 }).deliveries;
  }
  return deliveries;
}

export function nextNumber(db: Db, orgId: string, name: string): number {
  return db.get<{ value: number }>(
    `INSERT INTO org_sequences (org_id, name, value) VALUES (?, ?, 1)
     ON CONFLICT (org_id, name) DO UPDATE SET value = value + 1 RETURNING value`,
    orgId,
    name,
  )!.value;
}

export function awardCertificate(
  db: Db,
  input: NewCertificate,
  events: CertificateEvents,
): { certificate: Certificate; deliveries: number } {
  return db.transaction(() => {
    const certificate: Certificate = {
      ...input,
      number: nextNumber(db, input.orgId, 'certificate'),
    };
    db.run(
      `INSERT INTO certificates (id, org_id, number, user_id, owner_id, badge_id, creation_date, expires,
         disabled, expiry_reminder_sent, expired_published_at, lesson_active_ids, rule_data, awarded_by,
         user_info, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      certificate.id,
      certificate.orgId,
      certificate.number,
      certificate.userId,
      certificate.ownerId,
      certificate.badgeId,
      certificate.creationDate,
      certificate.expires,
      certificate.disabled ? 1 : 0,
      certificate.expiryReminderSent ? 1 : 0,
      certificate.expiredPublishedAt,
      JSON.stringify(certificate.lessonActiveIds),
      JSON.stringify(certificate.ruleData),
      certificate.awardedBy,
      certificate.user === null ? null : JSON.stringify(certificate.user),
      certificate.version,
      certificate.createdAt,
      certificate.updatedAt,
    );
    return { certificate, deliveries: publish(db, certificate, events) };
  });
}

const STATUS_SQL: Record<CertificateStatus, string> = {
  disabled: 'disabled = 1',
  expired: 'disabled = 0 AND expires IS NOT NULL AND expires <= :now',
  expiring: 'disabled = 0 AND expires > :now AND expires <= :now + :window',
  active: 'disabled = 0 AND (expires IS NULL OR expires > :now)',
};

export function listCertificates(
  db: Db,
  orgId: string,
  filter: CertificateFilter,
  { cursor, limit }: PageRequest,
): Page<Certificate> {
  const status = filter.status ? `AND ${STATUS_SQL[filter.status]}` : '';
  const rows = db
    .statement(
      `SELECT * FROM certificates
       WHERE org_id = :org AND id < :cursor
         AND (:user IS NULL OR user_id = :user) AND (:badge IS NULL OR badge_id = :badge) ${status}
       ORDER BY id DESC LIMIT :limit`,
    )
    .all({
      org: orgId,
      cursor: cursor ?? '~',
      user: filter.userId ?? null,
      badge: filter.badgeId ?? null,
      limit: limit + 1,
      // node:sqlite refuses named parameters the statement does not use.
      ...(filter.status && filter.status !== 'disabled' && { now: filter.now }),
      ...(filter.status === 'expiring' && { window: filter.expiringWithinMs }),
    }) as unknown as CertificateRow[];
  return toPage(rows, limit, toCertificate);
}

export function getCertificate(db: Db, orgId: string, id: string): Certificate | undefined {
  const row = db.get<CertificateRow>(
    'SELECT * FROM certificates WHERE org_id = ? AND id = ?',
    orgId,
    id,
  );
  return row && toCertificate(row);
}

export function revokeCertificate(
  db: Db,
  orgId: string,
  id: string,
  now: number,
): Certificate | undefined {
  const row =
    db.get<CertificateRow>(
      `UPDATE certificates SET disabled = 1, updated_at = ?
       WHERE org_id = ? AND id = ? AND disabled = 0 RETURNING *`,
      now,
      orgId,
      id,
    ) ??
    db.get<CertificateRow>('SELECT * FROM certificates WHERE org_id = ? AND id = ?', orgId, id);
  return row && toCertificate(row);
}

/**
 * Candidates are read, then each is moved by an UPDATE that re-checks the
 * state it moves from: of any number of processes and ticks racing for one
 * certificate, exactly one UPDATE returns the row, and only that transaction
 * publishes. The events commit or roll back with the state change.
 */
function transition(
  db: Db,
  candidatesSql: string,
  candidateParams: number[],
  updateSql: string,
  now: number,
  events: CertificateEvents,
): TransitionResult {
  return db.transaction(() => {
    const result: TransitionResult = { certificates: [], deliveries: 0 };
    for (const { id } of db.all<{ id: string }>(candidatesSql, ...candidateParams)) {
      const row = db.get<CertificateRow>(updateSql, now, id);
      if (!row) continue;
      const certificate = toCertificate(row);
      result.certificates.push(certificate);
      result.deliveries += publish(db, certificate, events);
    }
    return result;
  });
}

export function remindExpiringCertificates(
  db: Db,
  now: number,
  windowMs: number,
  limit: number,
  events: CertificateEvents,
): TransitionResult {
  return transition(
    db,
    `SELECT id FROM certificates
     WHERE expiry_reminder_sent = 0 AND disabled = 0 AND expires IS NOT NULL AND expires > ? AND expires <= ?
     ORDER BY expires LIMIT ?`,
    [now, now + windowMs, limit],
    `UPDATE certificates SET expiry_reminder_sent = 1, updated_at = ?1
     WHERE id = ?2 AND expiry_reminder_sent = 0 AND disabled = 0 RETURNING *`,
    now,
    events,
  );
}

export function expireCertificates(
  db: Db,
  now: number,
  limit: number,
  events: CertificateEvents,
): TransitionResult {
  return transition(
    db,
    `SELECT id FROM certificates
     WHERE expired_published_at IS NULL AND disabled = 0 AND expires IS NOT NULL AND expires <= ?
     ORDER BY expires LIMIT ?`,
    [now, limit],
    `UPDATE certificates SET expired_published_at = ?1, expiry_reminder_sent = 1, updated_at = ?1
     WHERE id = ?2 AND expired_published_at IS NULL AND disabled = 0 RETURNING *`,
    now,
    events,
  );
}

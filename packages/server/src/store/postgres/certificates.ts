import type {
  Certificate,
  CertificateFilter,
  CertificateStatus,
  NewCertificate,
} from '../../certificates/types.ts';
import type { CertificateEvents, TransitionResult } from '../certificate-store.ts';
import { type CertificateRow, toCertificate } from '../sqlite/certificates.ts';
import type { Page, PageRequest } from '../store.ts';
import type { PgDb, Queryable } from './database.ts';
import { ingestOnce } from './events.ts';
import { toPage } from './rows.ts';

type PgCertificateRow = Omit<CertificateRow, 'disabled' | 'expiry_reminder_sent'> & {
  disabled: boolean;
  expiry_reminder_sent: boolean;
};

const toPgCertificate = (row: PgCertificateRow): Certificate =>
  toCertificate({
    ...row,
    disabled: row.disabled ? 1 : 0,
    expiry_reminder_sent: row.expiry_reminder_sent ? 1 : 0,
  });

async function publish(
  tx: Queryable,
  certificate: Certificate,
  events: CertificateEvents,
): Promise<number> {
  let deliveries = 0;
  for (const event of events(certificate)) {
    deliveries += (await ingestOnce(tx, { event, idempotencyWindowMs: 0 })).deliveries;
  }
  return deliveries;
}

export async function awardCertificate(
  db: PgDb,
  input: NewCertificate,
  events: CertificateEvents,
): Promise<{ certificate: Certificate; deliveries: number }> {
  return db.transaction(async (tx) => {
    // The upsert locks the organization's counter row: concurrent awards take turns for numbers.
    const { rows } = await tx.query<{ value: number }>(
      `INSERT INTO org_sequences (org_id, name, value) VALUES ($1, 'certificate', 1)
       ON CONFLICT (org_id, name) DO UPDATE SET value = org_sequences.value + 1 RETURNING value`,
      [input.orgId],
    );
    const certificate: Certificate = { ...input, number: rows[0].value };
    await tx.query(
      `INSERT INTO certificates (id, org_id, number, user_id, owner_id, badge_id, creation_date, expires,
         disabled, expiry_reminder_sent, expired_published_at, lesson_active_ids, rule_data, awarded_by,
         user_info, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        certificate.id,
        certificate.orgId,
        certificate.number,
        certificate.userId,
        certificate.ownerId,
        certificate.badgeId,
        certificate.creationDate,
        certificate.expires,
        certificate.disabled,
        certificate.expiryReminderSent,
        certificate.expiredPublishedAt,
        JSON.stringify(certificate.lessonActiveIds),
        JSON.stringify(certificate.ruleData),
        certificate.awardedBy,
        certificate.user === null ? null : JSON.stringify(certificate.user),
        certificate.version,
        certificate.createdAt,
        certificate.updatedAt,
      ],
    );
    return { certificate, deliveries: await publish(tx, certificate, events) };
  });
}

const STATUS_SQL: Record<CertificateStatus, string> = {
  disabled: 'disabled',
  expired: 'NOT disabled AND expires IS NOT NULL AND expires <= $6',
  expiring: 'NOT disabled AND expires > $6 AND expires <= $6 + $7',
  active: 'NOT disabled AND (expires IS NULL OR expires > $6)',
};

export async function listCertificates(
  db: Queryable,
  orgId: string,
  filter: CertificateFilter,
  { cursor, limit }: PageRequest,
): Promise<Page<Certificate>> {
  const params: unknown[] = [
    orgId,
    cursor ?? '~',
    filter.userId ?? null,
    filter.badgeId ?? null,
    limit + 1,
  ];
  let status = '';
  if (filter.status) {
    status = `AND ${STATUS_SQL[filter.status]}`;
    if (filter.status !== 'disabled') params.push(filter.now);
    if (filter.status === 'expiring') params.push(filter.expiringWithinMs);
  }
  const { rows } = await db.query<PgCertificateRow>(
    `SELECT * FROM certificates
     WHERE org_id = $1 AND id < $2
       AND ($3::text IS NULL OR user_id = $3) AND ($4::text IS NULL OR badge_id = $4) ${status}
     ORDER BY id DESC LIMIT $5`,
    params,
  );
  return toPage(rows, limit, toPgCertificate);
}

export async function getCertificate(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<Certificate | undefined> {
  const { rows } = await db.query<PgCertificateRow>(
    'SELECT * FROM certificates WHERE org_id = $1 AND id = $2',
    [orgId, id],
  );
  return rows[0] && toPgCertificate(rows[0]);
}

export async function revokeCertificate(
  db: Queryable,
  orgId: string,
  id: string,
  now: number,
): Promise<Certificate | undefined> {
  const { rows } = await db.query<PgCertificateRow>(
    `UPDATE certificates SET disabled = true, updated_at = $1
     WHERE org_id = $2 AND id = $3 AND NOT disabled RETURNING *`,
    [now, orgId, id],
  );
  if (rows[0]) return toPgCertificate(rows[0]);
  return getCertificate(db, orgId, id);
}

/**
 * Candidates are locked with SKIP LOCKED, so nodes ticking together split the
 * work instead of queueing on it; each is then moved by an UPDATE that
 * re-checks the state it moves from, and only the transaction whose UPDATE
 * returned the row publishes. The events commit or roll back with the change.
 */
async function transition(
  db: PgDb,
  candidatesSql: string,
  candidateParams: unknown[],
  updateSql: string,
  now: number,
  events: CertificateEvents,
): Promise<TransitionResult> {
  return db.transaction(async (tx) => {
    const result: TransitionResult = { certificates: [], deliveries: 0 };
    const { rows: candidates } = await tx.query<{ id: string }>(candidatesSql, candidateParams);
    for (const { id } of candidates) {
      const { rows } = await tx.query<PgCertificateRow>(updateSql, [now, id]);
      if (!rows[0]) continue;
      const certificate = toPgCertificate(rows[0]);
      result.certificates.push(certificate);
      result.deliveries += await publish(tx, certificate, events);
    }
    return result;
  });
}

export function remindExpiringCertificates(
  db: PgDb,
  now: number,
  windowMs: number,
  limit: number,
  events: CertificateEvents,
): Promise<TransitionResult> {
  return transition(
    db,
    `SELECT id FROM certificates
     WHERE NOT expiry_reminder_sent AND NOT disabled AND expires IS NOT NULL AND expires > $1 AND expires <= $2
     ORDER BY expires LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [now, now + windowMs, limit],
    `UPDATE certificates SET expiry_reminder_sent = true, updated_at = $1
     WHERE id = $2 AND NOT expiry_reminder_sent AND NOT disabled RETURNING *`,
    now,
    events,
  );
}

export function expireCertificates(
  db: PgDb,
  now: number,
  limit: number,
  events: CertificateEvents,
): Promise<TransitionResult> {
  return transition(
    db,
    `SELECT id FROM certificates
     WHERE expired_published_at IS NULL AND NOT disabled AND expires IS NOT NULL AND expires <= $1
     ORDER BY expires LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
    `UPDATE certificates SET expired_published_at = $1, expiry_reminder_sent = true, updated_at = $1
     WHERE id = $2 AND expired_published_at IS NULL AND NOT disabled RETURNING *`,
    now,
    events,
  );
}

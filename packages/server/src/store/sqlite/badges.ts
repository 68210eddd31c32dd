import type { Badge, BadgePatch, NewBadge } from '../../certificates/types.ts';
import type { Page, PageRequest } from '../store.ts';
import type { Db } from './database.ts';
import { pageOf } from './paging.ts';

export interface BadgeRow {
  id: string;
  org_id: string;
  name: string;
  description: string;
  rule_type: string;
  validity_duration_days: number | null;
  lesson_ids: string;
  created_at: number;
  updated_at: number;
}

export const toBadge = (row: BadgeRow): Badge => ({
  id: row.id,
  orgId: row.org_id,
  name: row.name,
  description: row.description,
  ruleType: row.rule_type,
  validityDurationDays: row.validity_duration_days,
  lessonIds: JSON.parse(row.lesson_ids),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const LIVE = 'deleted_at IS NULL';

export function createBadge(db: Db, badge: NewBadge, now: number): Badge {
  db.run(
    `INSERT INTO badges (id, org_id, name, description, rule_type, validity_duration_days, lesson_ids, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    badge.id,
    badge.orgId,
    badge.name,
    badge.description,
    badge.ruleType,
    badge.validityDurationDays,
    JSON.stringify(badge.lessonIds),
    now,
    now,
  );
  return { ...badge, createdAt: now, updatedAt: now };
}

export function listBadges(db: Db, orgId: string, page: PageRequest): Page<Badge> {
  return pageOf(
    db,
    { table: 'badges', where: `org_id = ? AND ${LIVE}`, params: [orgId], map: toBadge },
    page,
  );
}

export function getBadge(db: Db, orgId: string, id: string): Badge | undefined {
  const row = db.get<BadgeRow>(
    `SELECT * FROM badges WHERE org_id = ? AND id = ? AND ${LIVE}`,
    orgId,
    id,
  );
  return row && toBadge(row);
}

export function updateBadge(
  db: Db,
  orgId: string,
  id: string,
  patch: BadgePatch,
  now: number,
): Badge | undefined {
  const row = db.get<BadgeRow>(
    `UPDATE badges SET
       name = coalesce(?, name),
       description = coalesce(?, description),
       rule_type = coalesce(?, rule_type),
       validity_duration_days = CASE WHEN ? THEN ? ELSE validity_duration_days END,
       lesson_ids = coalesce(?, lesson_ids),
       updated_at = ?
     WHERE org_id = ? AND id = ? AND ${LIVE} RETURNING *`,
    patch.name ?? null,
    patch.description ?? null,
    patch.ruleType ?? null,
    'validityDurationDays' in patch ? 1 : 0,
    patch.validityDurationDays ?? null,
    patch.lessonIds === undefined ? null : JSON.stringify(patch.lessonIds),
    now,
    orgId,
    id,
  );
  return row && toBadge(row);
}

export function deleteBadge(db: Db, orgId: string, id: string, now: number): boolean {
  return (
    db.run(
      `UPDATE badges SET deleted_at = ? WHERE org_id = ? AND id = ? AND ${LIVE}`,
      now,
      orgId,
      id,
    ).changes > 0
  );
}

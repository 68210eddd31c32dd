import type { Badge, BadgePatch, NewBadge } from '../../certificates/types.ts';
import { type BadgeRow, toBadge } from '../sqlite/badges.ts';
import type { Page, PageRequest } from '../store.ts';
import type { Queryable } from './database.ts';
import { pageOf } from './paging.ts';

const LIVE = 'deleted_at IS NULL';

export async function createBadge(db: Queryable, badge: NewBadge, now: number): Promise<Badge> {
  await db.query(
    `INSERT INTO badges (id, org_id, name, description, rule_type, validity_duration_days, lesson_ids, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [
      badge.id,
      badge.orgId,
      badge.name,
      badge.description,
      badge.ruleType,
      badge.validityDurationDays,
      JSON.stringify(badge.lessonIds),
      now,
    ],
  );
  return { ...badge, createdAt: now, updatedAt: now };
}

export async function listBadges(
  db: Queryable,
  orgId: string,
  page: PageRequest,
): Promise<Page<Badge>> {
  return pageOf(
    db,
    { table: 'badges', where: `org_id = $1 AND ${LIVE}`, params: [orgId], map: toBadge },
    page,
  );
}

export async function getBadge(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<Badge | undefined> {
  const { rows } = await db.query<BadgeRow>(
    `SELECT * FROM badges WHERE org_id = $1 AND id = $2 AND ${LIVE}`,
    [orgId, id],
  );
  return rows[0] && toBadge(rows[0]);
}

export async function updateBadge(
  db: Queryable,
  orgId: string,
  id: string,
  patch: BadgePatch,
  now: number,
): Promise<Badge | undefined> {
  const { rows } = await db.query<BadgeRow>(
    `UPDATE badges SET
       name = coalesce($1, name),
       description = coalesce($2, description),
       rule_type = coalesce($3, rule_type),
       validity_duration_days = CASE WHEN $4 THEN $5::integer ELSE validity_duration_days END,
       lesson_ids = coalesce($6, lesson_ids),
       updated_at = $7
     WHERE org_id = $8 AND id = $9 AND ${LIVE} RETURNING *`,
    [
      patch.name ?? null,
      patch.description ?? null,
      patch.ruleType ?? null,
      'validityDurationDays' in patch,
      patch.validityDurationDays ?? null,
      patch.lessonIds === undefined ? null : JSON.stringify(patch.lessonIds),
      now,
      orgId,
      id,
    ],
  );
  return rows[0] && toBadge(rows[0]);
}

export async function deleteBadge(
  db: Queryable,
  orgId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db.query(
    `UPDATE badges SET deleted_at = $1 WHERE org_id = $2 AND id = $3 AND ${LIVE}`,
    [now, orgId, id],
  );
  return (result.rowCount ?? 0) > 0;
}

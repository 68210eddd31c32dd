import { DEFAULT_ORG_SETTINGS, type Organization } from '../../domain/types.ts';
import type { NewOrganization, OrgPatch, Page, PageRequest } from '../store.ts';
import type { Queryable } from './database.ts';
import { pageOf } from './paging.ts';
import { type OrgRow, toOrg } from './rows.ts';

export async function createOrg(db: Queryable, input: NewOrganization): Promise<Organization> {
  const org = { ...input, settings: { ...DEFAULT_ORG_SETTINGS, ...input.settings } };
  await db.query(
    'INSERT INTO orgs (id, name, settings, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)',
    [org.id, org.name, JSON.stringify(org.settings), org.createdAt, org.updatedAt],
  );
  return org;
}

export async function listOrgs(db: Queryable, page: PageRequest): Promise<Page<Organization>> {
  return pageOf(db, { table: 'orgs', map: toOrg }, page);
}

export async function getOrg(db: Queryable, id: string): Promise<Organization | undefined> {
  const { rows } = await db.query<OrgRow>('SELECT * FROM orgs WHERE id = $1', [id]);
  return rows[0] && toOrg(rows[0]);
}

export async function updateOrg(
  db: Queryable,
  id: string,
  patch: OrgPatch,
  now: number,
): Promise<Organization | undefined> {
  // jsonb || merges the given settings into the stored ones: unnamed settings keep their value.
  const { rows } = await db.query<OrgRow>(
    `UPDATE orgs SET name = coalesce($1, name), settings = (settings::jsonb || $2::jsonb)::text,
       updated_at = $3
     WHERE id = $4 RETURNING *`,
    [patch.name ?? null, JSON.stringify(patch.settings ?? {}), now, id],
  );
  return rows[0] && toOrg(rows[0]);
}

export async function deleteOrg(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('DELETE FROM orgs WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

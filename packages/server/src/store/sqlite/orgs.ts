import { DEFAULT_ORG_SETTINGS, type Organization } from '../../domain/types.ts';
import type { NewOrganization, OrgPatch, Page, PageRequest } from '../store.ts';
import type { Db } from './database.ts';
import { pageOf } from './paging.ts';
import { type OrgRow, toOrg } from './rows.ts';

export function createOrg(db: Db, input: NewOrganization): Organization {
  const org = { ...input, settings: { ...DEFAULT_ORG_SETTINGS, ...input.settings } };
  db.run(
    'INSERT INTO orgs (id, name, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    org.id,
    org.name,
    JSON.stringify(org.settings),
    org.createdAt,
    org.updatedAt,
  );
  return org;
}

export function listOrgs(db: Db, page: PageRequest): Page<Organization> {
  return pageOf(db, { table: 'orgs', map: toOrg }, page);
}

export function getOrg(db: Db, id: string): Organization | undefined {
  const row = db.get<OrgRow>('SELECT * FROM orgs WHERE id = ?', id);
  return row && toOrg(row);
}

export function updateOrg(
  db: Db,
  id: string,
  patch: OrgPatch,
  now: number,
): Organization | undefined {
  // json_patch merges the given settings into the stored ones: unnamed settings keep their value.
  const row = db.get<OrgRow>(
    `UPDATE orgs SET name = coalesce(?, name), settings = json_patch(settings, ?), updated_at = ?
     WHERE id = ? RETURNING *`,
    patch.name ?? null,
    JSON.stringify(patch.settings ?? {}),
    now,
    id,
  );
  return row && toOrg(row);
}

export function deleteOrg(db: Db, id: string): boolean {
  return db.run('DELETE FROM orgs WHERE id = ?', id).changes > 0;
}

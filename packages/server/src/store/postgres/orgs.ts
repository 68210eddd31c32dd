import type { Organization } from '../../domain/types.ts';
import type { Page, PageRequest } from '../store.ts';
import type { Queryable } from './database.ts';
import { type OrgRow, toOrg, toPage } from './rows.ts';

export async function createOrg(db: Queryable, org: Organization): Promise<Organization> {
  await db.query('INSERT INTO orgs (id, name, created_at, updated_at) VALUES ($1, $2, $3, $4)', [
    org.id,
    org.name,
    org.createdAt,
    org.updatedAt,
  ]);
  return org;
}

export async function listOrgs(
  db: Queryable,
  { cursor, limit }: PageRequest,
): Promise<Page<Organization>> {
  const { rows } = await db.query<OrgRow>(
    'SELECT * FROM orgs WHERE id < $1 ORDER BY id DESC LIMIT $2',
    [cursor ?? '~', limit + 1],
  );
  return toPage(rows, limit, toOrg);
}

export async function getOrg(db: Queryable, id: string): Promise<Organization | undefined> {
  const { rows } = await db.query<OrgRow>('SELECT * FROM orgs WHERE id = $1', [id]);
  return rows[0] && toOrg(rows[0]);
}

export async function updateOrg(
  db: Queryable,
  id: string,
  patch: { name?: string },
  now: number,
): Promise<Organization | undefined> {
  const { rows } = await db.query<OrgRow>(
    'UPDATE orgs SET name = coalesce($1, name), updated_at = $2 WHERE id = $3 RETURNING *',
    [patch.name ?? null, now, id],
  );
  return rows[0] && toOrg(rows[0]);
}

export async function deleteOrg(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('DELETE FROM orgs WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

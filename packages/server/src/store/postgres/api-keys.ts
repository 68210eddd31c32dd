import type { ApiKey } from '../../domain/types.ts';
import { type ApiKeyRow, LAST_USED_RESOLUTION_MS, toApiKey } from '../sqlite/api-keys.ts';
import type { Page, PageRequest } from '../store.ts';
import type { Queryable } from './database.ts';
import { pageOf } from './paging.ts';

export async function createApiKey(db: Queryable, key: ApiKey, hash: string): Promise<ApiKey> {
  await db.query(
    'INSERT INTO api_keys (id, org_id, name, prefix, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [key.id, key.orgId, key.name, key.prefix, hash, key.createdAt],
  );
  return { ...key, lastUsedAt: null };
}

export async function listApiKeys(
  db: Queryable,
  orgId: string,
  page: PageRequest,
): Promise<Page<ApiKey>> {
  return pageOf(
    db,
    {
      table: 'api_keys',
      where: 'org_id = $1 AND revoked_at IS NULL',
      params: [orgId],
      map: toApiKey,
    },
    page,
  );
}

export async function useApiKey(
  db: Queryable,
  hash: string,
  now: number,
): Promise<ApiKey | undefined> {
  const { rows } = await db.query<ApiKeyRow>(
    'SELECT * FROM api_keys WHERE hash = $1 AND revoked_at IS NULL',
    [hash],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.last_used_at === null || row.last_used_at <= now - LAST_USED_RESOLUTION_MS) {
    await db.query('UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [now, row.id]);
    row.last_used_at = now;
  }
  return toApiKey(row);
}

export async function revokeApiKey(
  db: Queryable,
  orgId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db.query(
    'UPDATE api_keys SET revoked_at = $1 WHERE org_id = $2 AND id = $3 AND revoked_at IS NULL',
    [now, orgId, id],
  );
  return (result.rowCount ?? 0) > 0;
}

import type { ApiKey } from '../../domain/types.ts';
import type { Page, PageRequest } from '../store.ts';
import type { Db } from './database.ts';
import { pageOf } from './paging.ts';

export interface ApiKeyRow {
  id: string;
  org_id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
}

export const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  orgId: row.org_id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** lastUsedAt is refreshed at most this often: one write per key per minute, not one per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function createApiKey(db: Db, key: ApiKey, hash: string): ApiKey {
  db.run(
    'INSERT INTO api_keys (id, org_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    key.id,
    key.orgId,
    key.name,
    key.prefix,
    hash,
    key.createdAt,
  );
  return { ...key, lastUsedAt: null };
}

export function listApiKeys(db: Db, orgId: string, page: PageRequest): Page<ApiKey> {
  return pageOf(
    db,
    {
      table: 'api_keys',
      where: 'org_id = ? AND revoked_at IS NULL',
      params: [orgId],
      map: toApiKey,
    },
    page,
  );
}

export function useApiKey(db: Db, hash: string, now: number): ApiKey | undefined {
  const row = db.get<ApiKeyRow>(
    'SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL',
    hash,
  );
  if (!row) return undefined;
  if (row.last_used_at === null || row.last_used_at <= now - LAST_USED_RESOLUTION_MS) {
    db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', now, row.id);
    row.last_used_at = now;
  }
  return toApiKey(row);
}

export function revokeApiKey(db: Db, orgId: string, id: string, now: number): boolean {
  return (
    db.run(
      'UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL',
      now,
      orgId,
      id,
    ).changes > 0
  );
}

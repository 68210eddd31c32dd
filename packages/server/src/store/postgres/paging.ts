import type { PagedQuery } from '../sqlite/paging.ts';
import type { Page, PageRequest } from '../store.ts';
import type { Queryable } from './database.ts';
import { toPage } from './rows.ts';

/**
 * One page of a list, newest id first, after the cursor (the last id the page
 * before showed). `where` numbers its placeholders from $1; the cursor and the
 * limit take the next two.
 */
export async function pageOf<R extends { id: string }, T>(
  db: Queryable,
  { table, where, params = [], map }: PagedQuery<R, T>,
  { cursor, limit }: PageRequest,
): Promise<Page<T>> {
  const next = params.length + 1;
  const { rows } = await db.query<R>(
    `SELECT * FROM ${table} WHERE ${where ? `${where} AND ` : ''}id < $${next}
     ORDER BY id DESC LIMIT $${next + 1}`,
    [...params, cursor ?? '~', limit + 1],
  );
  return toPage(rows, limit, map);
}

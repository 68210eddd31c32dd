import type { SQLInputValue } from 'node:sqlite';
import type { Page, PageRequest } from '../store.ts';
import type { Db } from './database.ts';
import { toPage } from './rows.ts';

/** The tables a list pages through: table names are code, never input. */
export type PagedTable = 'orgs' | 'endpoints' | 'api_keys' | 'badges' | 'events' | 'deliveries';

/**
 * A list (both dialects): the rows of `table` that `where` keeps, made into
 * values by `map`. `where` is SQL text written in code; values go in `params`,
 * bound to its placeholders.
 */
export interface PagedQuery<R, T> {
  table: PagedTable;
  where?: string;
  params?: SQLInputValue[];
  map: (row: R) => T;
}

/** One page of a list, newest id first, after the cursor (the last id the page before showed). */
export function pageOf<R extends { id: string }, T>(
  db: Db,
  { table, where, params = [], map }: PagedQuery<R, T>,
  { cursor, limit }: PageRequest,
): Page<T> {
  const rows = db.all<R>(
    `SELECT * FROM ${table} WHERE ${where ? `${where} AND ` : ''}id < ? ORDER BY id DESC LIMIT ?`,
    ...params,
    cursor ?? '~',
    limit + 1,
  );
  return toPage(rows, limit, map);
}

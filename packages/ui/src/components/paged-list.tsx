import type { ReactNode } from 'react';
import type { Query } from '../api/client.ts';
import type { Page } from '../api/types.ts';
import { type QueryChanges, useQueryState } from '../router.tsx';
import { useSession } from '../session.tsx';
import { type Loaded, useApi } from '../use-api.ts';
import { ListState, Pager } from './bits.tsx';

/** Rows per page of every paginated list. */
export const PAGE_SIZE = 25;

/**
 * The URL query key of a list's position: the cursors of the pages before the
 * one shown, oldest first, one value each. The whole trail, not only the last
 * cursor, so "Previous page" and "Page N" work from a shared link too.
 */
const CURSOR = 'cursor';

export interface PagedList<T> extends Loaded<Page<T>> {
  /** The cursors of the pages before this one (empty on the first page). */
  cursors: string[];
  /** Moves to another page: a new history entry, so Back returns to this one. */
  setCursors(cursors: string[]): void;
  /** Changes the URL query (a filter, say) and starts again from the first page. */
  restart(changes?: QueryChanges): void;
}

/**
 * One page of a cursor-paginated API list, its position kept in the URL
 * beside the page's filters (`query`), so a reload, Back and Forward or a
 * copied link show the same page. Filters change through `restart`: a
 * position means nothing under other filters. `pollMs` keeps a live list
 * current; a `refusal` is shown as the list's error instead of asking the API.
 */
export function usePagedList<T>(
  path: string,
  query: Query = {},
  options: { pollMs?: number; refusal?: string } = {},
): PagedList<T> {
  const { api } = useSession();
  const [params, setParams] = useQueryState();
  const cursors = params.getAll(CURSOR);
  const { pollMs, refusal } = options;
  const list = useApi(
    (signal) =>
      refusal
        ? Promise.reject(new Error(refusal))
        : api.page<T>(path, { ...query, cursor: cursors.at(-1), limit: PAGE_SIZE }, signal),
    [path, query, cursors, refusal],
    { pollMs },
  );
  return {
    ...list,
    cursors,
    setCursors: (next) => setParams({ [CURSOR]: next }, { push: true }),
    restart: (changes = {}) => setParams({ ...changes, [CURSOR]: null }),
  };
}

/**
 * A list's loading, error or empty state, its rows once there are some
 * (`children` renders them), and the pager.
 */
export function PagedRows<T>({
  list,
  what,
  empty,
  children,
}: {
  list: PagedList<T>;
  /** "Loading <what>…" */
  what: string;
  empty: ReactNode;
  children(rows: T[]): ReactNode;
}) {
  const rows = list.data?.data;
  return (
    <>
      <ListState
        loading={list.loading}
        error={list.error}
        count={rows?.length}
        what={what}
        empty={empty}
      />
      {rows && rows.length > 0 && children(rows)}
      <Pager cursors={list.cursors} nextCursor={list.data?.nextCursor} onChange={list.setCursors} />
    </>
  );
}

/**
 * A table with a caption for screen readers and a header row; `actions` adds
 * a last column whose header only screen readers hear.
 */
export function DataTable({
  caption,
  columns,
  actions = false,
  className,
  children,
}: {
  caption: string;
  columns: string[];
  actions?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <table className={className}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

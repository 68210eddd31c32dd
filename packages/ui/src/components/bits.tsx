import { type ReactNode, useRef } from 'react';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A time in the viewer's own zone; the exact instant is in the tooltip and the markup. */
export function Time({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={date.toISOString()}>
      {dateTime.format(date)}
    </time>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <p className="error-note" role="alert">
      {error.message}
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

/** Shows the list's state: loading at first, the error, or the empty message. */
export function ListState({
  loading,
  error,
  count,
  what,
  empty,
}: {
  loading: boolean;
  error: Error | undefined;
  count: number | undefined;
  what: string;
  empty: ReactNode;
}) {
  if (error) return <ErrorNote error={error} />;
  if (count === undefined && loading) return <Loading what={what} />;
  if (count === 0) return <Empty>{empty}</Empty>;
  return null;
}

/**
 * Cursor pagination: the API only goes forward, so the cursors of the pages
 * already seen are kept to go back. The buttons stay in place and focusable
 * while a page loads or at either end (aria-disabled, not disabled), so a
 * keyboard user pressing them never loses focus.
 */
export function Pager({
  cursors,
  nextCursor,
  onChange,
}: {
  cursors: string[];
  /** undefined while the page loads. */
  nextCursor: string | null | undefined;
  onChange(cursors: string[]): void;
}) {
  const shown = useRef(false);
  const loading = nextCursor === undefined;
  shown.current = cursors.length > 0 || Boolean(nextCursor) || (loading && shown.current);
  if (!shown.current) return null;
  const canGoBack = cursors.length > 0;
  return (
    <nav className="pager" aria-label="Pagination">
      <button
        type="button"
        aria-disabled={!canGoBack}
        onClick={() => canGoBack && onChange(cursors.slice(0, -1))}
      >
        Previous page
      </button>
      {/* Announced, since focus stays on the button while the rows change. */}
      <span aria-live="polite">Page {cursors.length + 1}</span>
      <button
        type="button"
        aria-disabled={!nextCursor}
        onClick={() => nextCursor && onChange([...cursors, nextCursor])}
      >
        Next page
      </button>
    </nav>
  );
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <section aria-label={label}>
      <pre className="json">{JSON.stringify(value, null, 2)}</pre>
    </section>
  );
}

export const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`;

/** What a `useApi` load gave: its error, a loading note until it comes, then `children` of the data. */
export function LoadedView<T>({
  loaded,
  what,
  children,
}: {
  loaded: { data: T | undefined; error: Error | undefined };
  /** "Loading <what>…" */
  what: string;
  children(data: T): ReactNode;
}) {
  if (loaded.data !== undefined) return children(loaded.data);
  return loaded.error ? <ErrorNote error={loaded.error} /> : <Loading what={what} />;
}

import {
  type AnchorHTMLAttributes,
  type MouseEvent,
  useCallback,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';

/**
 * A small history router: the pages are few and flat, so matching a handful of
 * patterns beats a routing dependency. Herald answers every page path with
 * index.html, so reloads and shared links work.
 */
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
};
const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, snapshot);
  const [path, search = ''] = location.split('?');
  return { path, query: new URLSearchParams(search) };
}

/** Matches `/orgs/:org/endpoints` against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** Changes to the URL query: null or '' removes a key, a list sets it once per value. */
export type QueryChanges = Record<string, string | string[] | null>;

/**
 * Query-string state for filters and list positions, so a view survives
 * reloads and can be shared. A change replaces the URL (typing in a filter is
 * not a step of history) unless `push` asks for a new entry, as moving to
 * another page of a list does, so Back returns to the page before.
 */
export function useQueryState(): [
  URLSearchParams,
  (changes: QueryChanges, options?: { push?: boolean }) => void,
] {
  const { path, query } = useLocation();
  const update = useCallback(
    (changes: QueryChanges, { push = false } = {}) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        next.delete(key);
        for (const each of [value ?? []].flat()) if (each !== '') next.append(key, each);
      }
      const text = next.toString();
      navigate(text ? `${path}?${text}` : path, { replace: !push });
    },
    [path],
  );
  return [query, update];
}

export function Link({
  to,
  children,
  ...rest
}: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a {...rest} href={to} onClick={onClick}>
      {children}
    </a>
  );
}

/** Moves focus to the page's main heading after navigation, so screen readers announce it. */
export function useFocusOnNavigate(path: string): void {
  const [previous, setPrevious] = useState(path);
  useEffect(() => {
    if (previous === path) return;
    setPrevious(path);
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path, previous]);
}

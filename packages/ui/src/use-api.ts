import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Loads data for a page. The previous data stays on screen while a reload runs
 * (no flashing) but never shows for other inputs, a stale answer never
 * overwrites a newer one, and `pollMs` keeps live pages (deliveries) current.
 * `inputs` must be JSON-serializable: they key the request.
 */
export function useApi<T>(
  load: (signal: AbortSignal) => Promise<T>,
  inputs: unknown[],
  options: { pollMs?: number } = {},
): Loaded<T> {
  const key = JSON.stringify(inputs);
  const [state, setState] = useState<{ key: string; data?: T; error?: Error }>({ key });
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setTick((n) => n + 1), []);

  const { pollMs } = options;
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next poll is timed from this answer, never from the request: a poll
    // that aborted a slow request in flight would keep a slow page empty forever.
    const pollLater = () => {
      if (!pollMs) return;
      timer = setTimeout(function tick() {
        if (document.visibilityState === 'visible') setTick((n) => n + 1);
        else timer = setTimeout(tick, pollMs);
      }, pollMs);
    };
    setLoading(true);
    loadRef.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setState({ key, data });
        setLoading(false);
        pollLater();
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        const error = reason instanceof Error ? reason : new Error(String(reason));
        setState((previous) => ({
          key,
          data: previous.key === key ? previous.data : undefined,
          error,
        }));
        setLoading(false);
        pollLater();
      },
    );
    return () => {
      clearTimeout(timer);
      controller.abort(`superseded (${tick})`);
    };
  }, [key, tick, pollMs]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: loading || !current,
    reload,
  };
}

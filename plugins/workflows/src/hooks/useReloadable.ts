import { useCallback, useEffect, useRef, useState } from 'react';

type LoadState<T> = {
  /** The request the state belongs to; another key starts from scratch. */
  key?: string;
  value?: T;
  /** Nothing could be loaded for this key. */
  error?: Error;
  /** A value is shown, but the last reload failed. */
  refreshError?: Error;
  reloading?: boolean;
};

/**
 * Loads a value for `key` (nothing while `key` is undefined) and reloads it on
 * demand, or every `pollIntervalMs` while the page is visible. A failed reload
 * keeps the value on screen and reports `refreshError` instead, so polling
 * through a hiccup does not blank the page.
 */
export function useReloadable<T>(
  key: string | undefined,
  load: () => Promise<T>,
  options: { pollIntervalMs?: number } = {},
) {
  const { pollIntervalMs } = options;
  const [state, setState] = useState<LoadState<T>>({});
  // The loader of the latest render: what `key` stands for, so no deps of its own.
  const loadRef = useRef(load);
  loadRef.current = load;
  const lastCall = useRef(0);
  const lastLoadedAt = useRef(0);

  const run = useCallback(async (forKey: string) => {
    const call = ++lastCall.current;
    setState(current =>
      current.key === forKey
        ? { ...current, reloading: true }
        : { key: forKey, reloading: true },
    );
    try {
      const value = await loadRef.current();
      if (call !== lastCall.current) return;
      lastLoadedAt.current = Date.now();
      setState({ key: forKey, value });
    } catch (error) {
      if (call !== lastCall.current) return;
      setState(current =>
        current.key === forKey && current.value !== undefined
          ? { ...current, refreshError: error as Error, reloading: false }
          : { key: forKey, error: error as Error },
      );
    }
  }, []);

  useEffect(() => {
    if (key !== undefined) run(key);
  }, [key, run]);

  // Answers that arrive after unmount are dropped.
  useEffect(
    () => () => {
      lastCall.current++;
    },
    [],
  );

  useEffect(() => {
    if (key === undefined || !pollIntervalMs) return undefined;
    const visible = () => document.visibilityState === 'visible';
    const timer = setInterval(() => {
      if (visible()) run(key);
    }, pollIntervalMs);
    // Back on a tab left open for a while: refresh at once, not at the next tick.
    const onVisibilityChange = () => {
      if (visible() && Date.now() - lastLoadedAt.current >= pollIntervalMs) {
        run(key);
      }
    };
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [key, pollIntervalMs, run]);

  const reload = useCallback(async () => {
    if (key !== undefined) await run(key);
  }, [key, run]);

  const current: LoadState<T> = state.key === key ? state : {};
  return {
    value: current.value,
    error: current.error,
    refreshError: current.refreshError,
    loading:
      key !== undefined &&
      current.value === undefined &&
      current.error === undefined,
    reloading: Boolean(current.reloading),
    reload,
  };
}

'use client';

import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';

export interface AsyncState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** Loads again (keeps the current data on screen meanwhile). */
  reload: () => void;
  /** Replaces the data locally (after a write the API answered with the new value). */
  setData: (update: T | ((current: T | null) => T | null)) => void;
}

/**
 * Runs `load` when `deps` change (aborting the previous run) and keeps its
 * result, error and loading flag. Generic: any page reading one resource.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [data, setDataState] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [run, setRun] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setDataState(result);
        setError(null);
        setLoading(false);
      },
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        setError(caught);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // The caller's deps decide when to load again.
  }, [...deps, run]);

  const reload = useCallback(() => setRun((n) => n + 1), []);
  const setData = useCallback((update: T | ((current: T | null) => T | null)) => {
    setDataState((current) => (typeof update === 'function' ? (update as (c: T | null) => T | null)(current) : update));
  }, []);
  return { data, error, loading, reload, setData };
}

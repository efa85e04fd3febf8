// A Settings panel's list from a feature the server may not have: undefined while loading, null
// when the server answers 404 (the feature is off, so the panel shows nothing), else the items;
// `run` performs an action, shows its error, and reads the list again.
import { useCallback, useEffect, useState } from 'react';
import { ApiFailure, errorText } from '../lib/api';

export function useOptionalList<T>(read: () => Promise<T[]>) {
  const [list, setList] = useState<T[] | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => read().then(setList, (err: unknown) => {
    if (err instanceof ApiFailure && err.status === 404) setList(null);
    else setError(errorText(err));
  }), [read]);
  useEffect(() => { void load(); }, [load]);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); await load(); } catch (err) { setError(errorText(err)); }
  };
  return { list, error, load, run };
}

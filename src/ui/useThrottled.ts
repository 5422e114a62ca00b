import { startTransition, useEffect, useRef, useState } from 'react';

/**
 * `value`, passed on at most once per `ms` (the latest value wins): the views that recompute in
 * the worker (attack, boundaries) follow training without asking for work after every epoch.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = Math.max(0, last.current + ms - Date.now());
    const t = setTimeout(() => {
      last.current = Date.now();
      // A transition: React renders the heavy views in slices and yields to input in between.
      startTransition(() => setShown(value));
    }, wait);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

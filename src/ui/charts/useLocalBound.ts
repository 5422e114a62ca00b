import { useCallback, useEffect, useRef, useState } from 'react';
import type { LocalBoundView } from '../../core/robust/localBoundView';
import type { Call } from '../workerClient';

/** The local bound as the page has it: asked for at an epoch, then its answer or why there is none. */
export interface LocalBoundState {
  /** The run epoch whose weights were certified (the run trains on meanwhile). */
  epoch: number;
  view: LocalBoundView | null;
  error: string | null;
}

/**
 * The local (CROWN) bound on demand: `ask` certifies the current weights in the worker. A new
 * model (a new run, a load, an import: `model` changes) withdraws the call and clears the answer,
 * so a bound is never shown beside another model's curves.
 */
export function useLocalBound(
  call: Call,
  model: number,
): { state: LocalBoundState | null; ask: (epoch: number) => void } {
  const [held, setHeld] = useState<(LocalBoundState & { model: number }) | null>(null);
  const asking = useRef<AbortController | null>(null);
  useEffect(() => () => asking.current?.abort(), [model]);
  const ask = useCallback(
    (epoch: number) => {
      asking.current?.abort();
      const controller = (asking.current = new AbortController());
      setHeld({ model, epoch, view: null, error: null });
      call({ type: 'localBound' }, controller.signal).then(
        (view) => setHeld({ model, epoch, view, error: null }),
        (e: Error) => setHeld({ model, epoch, view: null, error: e.message }),
      );
    },
    [call, model],
  );
  return { state: held && held.model === model ? held : null, ask };
}

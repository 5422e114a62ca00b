import { useEffect, useRef, useState } from 'react';
import type { Query, ResultOf } from '../worker/protocol';
import type { Call } from './workerClient';

interface Options<R> {
  /** What the answer is about besides the query (which model is loaded): when it changes, the answer shown goes. */
  scope: string;
  /** Changes when the weights do (an epoch ends, a step): the same query is asked again. */
  version: string;
  /** Quiet time before asking, so that typing a number asks once. */
  delayMs: number;
  /** Keep the last answer on screen while a changed query is asked; otherwise nothing shows until its answer. */
  keepWhileAsking?: boolean;
  /** Each answer as it comes; `first`: the first one for this query and scope. */
  onAnswer?: (answer: R, first: boolean) => void;
}

/**
 * A view of the current model that the worker computes (attack, boundaries): asked for `query`
 * (nothing while it is null), and asked again as the model trains. A changed query or scope
 * withdraws the calls made for the old one, so their answers never show; a new version of the
 * same model lets the call in flight finish (it answers the same question), and the worker skips
 * older ones still waiting, so a slow view keeps up with training instead of starving.
 */
export function useWorkerView<Q extends Query>(
  call: Call,
  query: Q | null,
  o: Options<ResultOf<Q['type']>>,
): { answer: ResultOf<Q['type']> | null; error: string | null } {
  type R = ResultOf<Q['type']>;
  const key = JSON.stringify([query, o.scope]);
  const [last, setLast] = useState<{ key: string; scope: string; answer?: R; error?: string } | null>(null);
  const latest = useRef({ query, onAnswer: o.onAnswer });
  useEffect(() => {
    latest.current = { query, onAnswer: o.onAnswer };
  });
  const asking = useRef<AbortController | null>(null);
  const answered = useRef<string | null>(null);
  useEffect(() => {
    const controller = (asking.current = new AbortController());
    return () => controller.abort();
  }, [key]);
  const { scope, version, delayMs } = o;
  useEffect(() => {
    const { query } = latest.current;
    const signal = asking.current?.signal;
    if (!query || !signal) return;
    const t = setTimeout(() => {
      call(query, signal).then(
        (answer) => {
          const first = answered.current !== key;
          answered.current = key;
          setLast({ key, scope, answer });
          latest.current.onAnswer?.(answer, first);
        },
        (e: Error) => setLast({ key, scope, error: e.message }),
      );
    }, delayMs);
    return () => clearTimeout(t);
  }, [call, key, scope, version, delayMs]);
  const mine = last !== null && last.scope === scope && last.key === key;
  const kept = last !== null && last.scope === scope && o.keepWhileAsking;
  return { answer: (mine || kept ? last?.answer : null) ?? null, error: (mine && last?.error) || null };
}

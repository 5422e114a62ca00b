import { startTransition, useEffect, useRef, useState } from 'react';

/**
 * `value`, handed to `slots` consumers one after the other, `gap` ms apart, in rounds at most
 * once per `ms`: each chart redraws in its own task instead of all of them in one long one (the
 * page must answer input within 50 ms while a run trains). A round reads the latest value for
 * each slot when that slot's turn comes, so no chart stays behind.
 */
export function useStaggered<T>(value: T, slots: number, ms: number, gap: number): T[] {
  const [shown, setShown] = useState<T[]>(() => new Array<T>(slots).fill(value));
  const [rounds, setRounds] = useState(0);
  const latest = useRef(value);
  const running = useRef(false);
  const lastStart = useRef(0);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useEffect(() => {
    latest.current = value;
  });
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  useEffect(() => {
    if (running.current || shown.every((s) => s === value)) return;
    running.current = true;
    const wait = Math.max(0, lastStart.current + ms - Date.now());
    timers.current = Array.from({ length: slots }, (_, i) =>
      setTimeout(
        () => {
          if (i === 0) lastStart.current = Date.now();
          const v = latest.current;
          startTransition(() => setShown((s) => (s[i] === v ? s : s.map((x, j) => (j === i ? v : x)))));
          if (i === slots - 1) {
            running.current = false;
            setRounds((r) => r + 1);
          }
        },
        wait + i * gap,
      ),
    );
  }, [value, rounds, shown, slots, ms, gap]);
  return shown;
}

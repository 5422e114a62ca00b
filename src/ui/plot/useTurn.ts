import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

const waiting: (() => void)[] = [];
let running = false;

function next() {
  const turn = waiting.shift();
  if (!turn) {
    running = false;
    return;
  }
  turn();
  setTimeout(next, 0);
}

/**
 * `value` as this plot last drew it (null before its first draw), moving on to the latest value
 * when its turn comes. A recharts redraw is ten times and more the work of a hand-drawn SVG plot, and
 * most of it runs in one go after React commits (recharts' store recomputes the chart, then the chart
 * renders again); the first draw is the costliest (every axis and series registering, then a second
 * pass at the scales). Plots given new numbers together (the first epoch of a run, both plots of
 * a figure, an opened run) would hold the main thread for all of them in one task, so they take
 * turns: one plot per task, each drawn synchronously in its own.
 */
export function useTurn<T>(value: T, ready: boolean): T | null {
  const [shown, setShown] = useState<T | null>(null);
  const latest = useRef(value);
  useEffect(() => {
    latest.current = value;
  });
  useEffect(() => {
    if (!ready || shown === value) return;
    let live = true;
    waiting.push(() => {
      if (live) flushSync(() => setShown(latest.current));
    });
    if (!running) {
      running = true;
      setTimeout(next, 0);
    }
    return () => {
      live = false;
    };
  }, [ready, value, shown]);
  return shown;
}

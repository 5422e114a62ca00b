import { useEffect, useState } from 'react';
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
 * True once it is this plot's turn to draw for the first time. Recharts' first draw of a chart
 * (every axis and series registering in its store, then drawn again at their scales) is the
 * costliest thing it does; several charts appearing at once (the first epoch of a run, an opened
 * run) would hold the main thread for all of them in one task. So plots take turns, one per task,
 * each drawn synchronously in its own.
 */
export function useTurn(ready: boolean): boolean {
  const [turn, setTurn] = useState(false);
  useEffect(() => {
    if (!ready || turn) return;
    let live = true;
    waiting.push(() => {
      if (live) flushSync(() => setTurn(true));
    });
    if (!running) {
      running = true;
      setTimeout(next, 0);
    }
    return () => {
      live = false;
    };
  }, [ready, turn]);
  return turn;
}

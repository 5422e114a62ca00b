import { describe, expect, it } from 'vitest';
import { longestTaskCpu, viewLag } from '../../src/bench/node/benchResponsiveness';

describe('viewLag: how far the view fell behind the worker', () => {
  it('counts the snapshots the worker had posted beyond the one shown, and its age', () => {
    // [seq, postedAt, shownAt]: 1 and 2 shown at once; 3 shown after 4 and 5 were posted (seen from their stamps).
    const shown: [number, number, number][] = [
      [1, 0, 10],
      [2, 50, 60],
      [3, 100, 260],
      [5, 200, 270],
    ];
    expect(viewLag(shown)).toEqual({ snapshots: 2, ms: 160 });
    expect(viewLag([[1, 0, 5]])).toEqual({ snapshots: 0, ms: 5 });
    expect(viewLag([])).toBeNull();
  });
});

describe('longestTaskCpu: the work in the longest task, waits for a core left out', () => {
  it("reads the page's main thread (the renderer with the most tasks), not the workers or other pages", () => {
    const task = (pid: number, tid: number, dur: number, tdur: number) => ({
      name: 'RunTask',
      ph: 'X',
      pid,
      tid,
      dur,
      tdur,
    });
    const trace = {
      traceEvents: [
        { name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 'CrRendererMain' } },
        { name: 'thread_name', ph: 'M', pid: 2, tid: 1, args: { name: 'CrRendererMain' } },
        { name: 'thread_name', ph: 'M', pid: 1, tid: 7, args: { name: 'DedicatedWorker thread' } },
        task(1, 1, 400_000, 12_000),
        task(1, 1, 30_000, 30_000),
        task(1, 1, 5_000, 5_000),
        task(1, 7, 900_000, 900_000),
        task(2, 1, 80_000, 80_000),
      ],
    };
    expect(longestTaskCpu(trace)).toBe(30);
    expect(longestTaskCpu({ traceEvents: [] })).toBeNull();
  });
});

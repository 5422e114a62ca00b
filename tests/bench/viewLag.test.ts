import { describe, expect, it } from 'vitest';
import { viewLag } from '../../src/bench/node/benchResponsiveness';

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

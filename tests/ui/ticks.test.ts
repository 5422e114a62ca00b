import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedTicks, formatTick, niceTicks } from '../../src/ui/plot/ticks';

const STEPS = [1, 2, 2.5, 5];
const isRoundStep = (step: number) => {
  const power = 10 ** Math.floor(Math.log10(step) + 1e-9);
  return STEPS.some((s) => Math.abs(step / power - s) < 1e-6) || Math.abs(step / power - 10) < 1e-6;
};

describe('round axis ticks', () => {
  it('cover the data, step by 1, 2, 2.5 or 5 times a power of ten, and print as they are', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        (lo, span) => {
          const t = niceTicks(lo, lo + span);
          const tol = 1e-9 * Math.max(1, Math.abs(lo) + span);
          expect(t.domain[0]).toBeLessThanOrEqual(lo + tol);
          expect(t.domain[1]).toBeGreaterThanOrEqual(lo + span - tol);
          expect(t.ticks.length).toBeGreaterThanOrEqual(2);
          expect(t.ticks.length).toBeLessThanOrEqual(12);
          const step = t.ticks[1] - t.ticks[0];
          expect(isRoundStep(step)).toBe(true);
          for (const v of t.ticks) expect(Number(formatTick(v, t.decimals))).toBeCloseTo(v, 9);
        },
      ),
    );
  });

  it('put 0 on the axis whenever the domain spans it (the margin plane of the issue: −17.3 … 9.7)', () => {
    const t = niceTicks(-17.3, 9.7);
    expect(t.ticks).toContain(0);
    expect(t.ticks).toEqual([-20, -10, 0, 10]);
    expect(niceTicks(-0.7, 0.2).ticks).toContain(0);
    expect(niceTicks(0, 1).ticks.map((v) => formatTick(v, niceTicks(0, 1).decimals))).toEqual([
      '0.0',
      '0.2',
      '0.4',
      '0.6',
      '0.8',
      '1.0',
    ]);
    expect(formatTick(-0, 1)).toBe('0.0');
  });

  it('keep a fixed domain as it is and round only the steps inside it', () => {
    const t = fixedTicks(0, 1);
    expect(t.domain).toEqual([0, 1]);
    expect(t.ticks[0]).toBe(0);
    expect(t.ticks.at(-1)).toBe(1);
    expect(niceTicks(3, 3).domain[0]).toBeLessThan(3);
  });
});

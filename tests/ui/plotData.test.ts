import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlotSeries } from '../../src/ui/plot/Plot';
import { plotRows, sameValue, seriesKey, ticksFor } from '../../src/ui/plot/plotData';

const value = fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(NaN), fc.constant(Infinity));
/** Series over a shared pool of x values, each using some of them (as runs of different lengths do). */
const seriesList = fc.array(
  fc.oneof(
    fc
      .uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 })
      .chain((xs) => fc.tuple(fc.constant(xs), fc.array(value, { minLength: xs.length, maxLength: xs.length })))
      .map(([xs, ys]): PlotSeries => ({
        kind: 'line',
        id: 'l',
        label: 'l',
        colour: '#000',
        points: xs.map((x, i) => [x, ys[i]]),
      })),
    fc
      .uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 })
      .chain((xs) =>
        fc.tuple(fc.constant(xs), fc.array(fc.tuple(value, value), { minLength: xs.length, maxLength: xs.length })),
      )
      .map(([xs, v]): PlotSeries => ({
        kind: 'band',
        id: 'b',
        colour: '#000',
        opacity: 0.2,
        points: xs.map((x, i) => [x, v[i][0], v[i][1]]),
      })),
  ),
  { maxLength: 5 },
);

describe('the rows a plot hands recharts', () => {
  it('hold every value of every line and band at its x, under the series key, null where not finite', () => {
    fc.assert(
      fc.property(seriesList, (series) => {
        const rows = plotRows(series);
        // Oracle: one row per distinct x, sorted.
        const xs = [
          ...new Set(series.flatMap((s) => (s.kind === 'line' || s.kind === 'band' ? s.points.map((p) => p[0]) : []))),
        ];
        expect(rows.map((r) => r.x)).toEqual(xs.sort((a, b) => a - b));
        series.forEach((s, i) => {
          const at = (x: number) => rows.find((r) => r.x === x)![seriesKey(i)];
          if (s.kind === 'line') for (const [x, y] of s.points) expect(at(x)).toBe(Number.isFinite(y) ? y : null);
          if (s.kind === 'band')
            for (const [x, lo, hi] of s.points)
              expect(at(x)).toEqual(Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null);
          // A series has no value where it has no point: the line ends there instead of dropping to 0.
          const own = new Set(s.kind === 'line' || s.kind === 'band' ? s.points.map((p) => p[0]) : []);
          for (const r of rows) if (!own.has(r.x)) expect(seriesKey(i) in r).toBe(false);
        });
      }),
    );
  });

  it('put a bar at its bin centre with the bin width beside it, and leave out empty bins', () => {
    const rows = plotRows([
      {
        kind: 'bars',
        id: 'h',
        colour: '#000',
        bars: [
          { x0: 0, x1: 0.5, y: 3 },
          { x0: 0.5, x1: 1, y: 0 },
          { x0: 1, x1: 2, y: 7 },
        ],
      },
    ]);
    expect(rows).toEqual([
      { x: 0.25, s0: 3, s0w: 0.5 },
      { x: 1.5, s0: 7, s0w: 1 },
    ]);
  });

  it('are frozen, so recharts keeps them as they are', () => {
    expect(Object.isFrozen(plotRows([]))).toBe(true);
  });
});

describe('axis ticks for recharts', () => {
  it('on an epoch axis: whole numbers inside a domain that spans the epochs there are', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 2000 }), (lo, span) => {
        const t = ticksFor({ label: 'epoch', integer: true }, [lo, lo + span]);
        expect(t.domain).toEqual([lo, Math.max(lo + span, lo + 1)]);
        expect(t.ticks.length).toBeGreaterThan(0);
        for (const v of t.ticks) {
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(t.domain[0]);
          expect(v).toBeLessThanOrEqual(t.domain[1]);
        }
        expect(t.decimals).toBe(0);
      }),
    );
  });

  it('span the values asked for (0 on a margin axis) and keep a fixed domain as it is', () => {
    const margin = ticksFor({ label: 'margin', include: [0] }, [3.2, 17.3]);
    expect(margin.domain[0]).toBeLessThanOrEqual(0);
    expect(margin.ticks).toContain(0);
    const accuracy = ticksFor({ label: 'accuracy', domain: [0, 1] }, [0.31, 0.42]);
    expect(accuracy.domain).toEqual([0, 1]);
    expect(accuracy.ticks[0]).toBe(0);
    expect(accuracy.ticks.at(-1)).toBe(1);
    expect(ticksFor({ label: 'empty' }, [Infinity, -Infinity]).domain).toEqual([0, 1]);
  });
});

describe('a plot redraws only for new numbers', () => {
  it('sees the same numbers in new arrays as the same, and any changed number as a change', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double(), fc.double()), { minLength: 1 }), fc.nat(), (points, k) => {
        const props = { series: [{ kind: 'line', id: 'a', points }], x: { label: 'epoch', integer: true } };
        expect(sameValue(props, structuredClone(props))).toBe(true);
        const changed = structuredClone(props);
        const p = changed.series[0].points[k % points.length];
        p[1] = Number.isNaN(p[1]) ? 0 : p[1] === 0 ? 1 : -p[1] || 1;
        expect(sameValue(props, changed)).toBe(false);
      }),
    );
  });

  it('compares functions (tick formats) by identity, and tells arrays from objects and missing keys', () => {
    const f = (v: number) => String(v);
    expect(sameValue({ format: f }, { format: f })).toBe(true);
    expect(sameValue({ format: f }, { format: (v: number) => String(v) })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue({ a: undefined }, { b: undefined })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimateRows, MAX_ROWS } from '../../src/ui/plot/decimate';
import type { PlotSeries } from '../../src/ui/plot/Plot';
import { plotRows, seriesKey, type Row } from '../../src/ui/plot/plotData';

/** The definition written out plainly: buckets of equal count between the end rows, each series' extremes per bucket. */
function oracle(rows: Row[], keys: string[], budget: number): Row[] {
  const n = rows.length;
  if (n <= budget) return rows;
  const pick = (buckets: number) => {
    const idx = new Set([0, n - 1]);
    for (let b = 0; b < buckets; b++) {
      const from = 1 + Math.floor((b * (n - 2)) / buckets);
      const to = 1 + Math.floor(((b + 1) * (n - 2)) / buckets);
      for (const k of keys) {
        const vals: { i: number; lo: number; hi: number }[] = [];
        for (let i = from; i < to; i++) {
          const v = rows[i][k];
          if (typeof v === 'number') vals.push({ i, lo: v, hi: v });
          else if (Array.isArray(v)) vals.push({ i, lo: v[0], hi: v[1] });
        }
        if (vals.length === 0) continue;
        const lo = Math.min(...vals.map((v) => v.lo));
        const hi = Math.max(...vals.map((v) => v.hi));
        idx.add(vals.find((v) => v.lo === lo)!.i);
        idx.add(vals.find((v) => v.hi === hi)!.i);
      }
    }
    return [...idx].sort((a, b) => a - b);
  };
  let buckets = Math.floor((budget - 2) / 2);
  let kept = pick(buckets);
  while (kept.length > budget && buckets > 1) kept = pick((buckets = Math.floor(buckets / 2)));
  return kept.map((i) => rows[i]);
}

const line = (id: string, ys: (number | null)[]): PlotSeries => ({
  kind: 'line',
  id,
  label: id,
  colour: '#000',
  points: ys.map((y, i) => [i + 1, y ?? NaN]),
});

const value = fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(null));
/** Rows as plotRows makes them: lines (a number or null) and bands ([lo, hi] or null) at shared x's. */
const rowsArb = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 300 }))
  .chain(([lines, bands, n]) =>
    fc.tuple(
      fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: lines, maxLength: lines }),
      fc.array(fc.array(fc.tuple(value, value), { minLength: n, maxLength: n }), {
        minLength: bands,
        maxLength: bands,
      }),
    ),
  )
  .map(([ls, bs]) => {
    const series: PlotSeries[] = [
      ...ls.map((ys, k) => line(`l${k}`, ys)),
      ...bs.map((ps, k): PlotSeries => ({
        kind: 'band',
        id: `b${k}`,
        colour: '#000',
        opacity: 0.2,
        points: ps.map(([a, b], i) => [
          i + 1,
          a === null || b === null ? NaN : Math.min(a, b),
          Math.max(a ?? 0, b ?? 0),
        ]),
      })),
    ];
    return { rows: plotRows(series), keys: series.map((_, i) => seriesKey(i)) };
  });

describe('decimateRows', () => {
  it('keeps the rows the plain definition keeps, on small inputs with small budgets', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 4, max: 60 }), ({ rows, keys }, budget) => {
        expect(decimateRows(rows, keys, budget)).toEqual(oracle(rows, keys, budget));
      }),
    );
  });

  it('keeps the first and last rows as they are, keeps rows in order, and fits the budget', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 20, max: 100 }), ({ rows, keys }, budget) => {
        const out = decimateRows(rows, keys, budget);
        if (rows.length === 0) {
          expect(out).toEqual([]);
          return;
        }
        expect(out[0]).toBe(rows[0]);
        expect(out.at(-1)).toBe(rows.at(-1));
        expect(out.length).toBeLessThanOrEqual(budget);
        const at = out.map((r) => rows.indexOf(r));
        expect(at.every((i, j) => i >= 0 && (j === 0 || i > at[j - 1]))).toBe(true);
      }),
    );
  });

  it("keeps every series' lowest and highest value", () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 20, max: 100 }), ({ rows, keys }, budget) => {
        const out = decimateRows(rows, keys, budget);
        for (const k of keys) {
          const values = (rs: Row[]) =>
            rs.flatMap((r) => {
              const v = r[k];
              return typeof v === 'number' ? [v] : Array.isArray(v) ? v : [];
            });
          const [all, kept] = [values(rows), values(out)];
          if (all.length === 0) continue;
          expect(Math.min(...kept)).toBe(Math.min(...all));
          expect(Math.max(...kept)).toBe(Math.max(...all));
        }
      }),
    );
  });

  it('hands back the same rows when they fit', () => {
    const rows = plotRows([line('a', [1, 2, 3])]);
    expect(decimateRows(rows, ['s0'], 3)).toBe(rows);
  });

  it('thins 5,000 epochs of ten lines to the budget and keeps a one-epoch spike and the last epoch exactly', () => {
    const n = 5000;
    const series = Array.from({ length: 10 }, (_, k) =>
      line(
        `l${k}`,
        Array.from({ length: n }, (_, i) =>
          k === 3 && i === 2344 ? 9 : Math.exp(-i / 900) + 0.01 * Math.sin(i * (k + 1)),
        ),
      ),
    );
    const rows = plotRows(series);
    const out = decimateRows(
      rows,
      series.map((_, i) => seriesKey(i)),
    );
    expect(out.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(out.length).toBeGreaterThan(MAX_ROWS / 4);
    expect(out.find((r) => r.x === 2345)?.s3).toBe(9);
    expect(out.at(-1)).toEqual(rows.at(-1));
    expect(out.at(-1)!.x).toBe(5000);
  });
});

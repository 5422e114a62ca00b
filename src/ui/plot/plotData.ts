import type { Axis, PlotSeries } from './Plot';
import { fixedTicks, formatTick, niceTicks, type Ticks } from './ticks';

/**
 * One row per x of the lines, bands and bars, the chart-level data recharts draws them from: each
 * series under its own key (s0, s1 … by position; a key never holds a '.', which recharts would read
 * as a path), null where a value is not finite, so the line breaks there. A bar sits at its bin's
 * centre, with the bin's width under the key + 'w'.
 */
export interface Row {
  x: number;
  [key: string]: number | [number, number] | null;
}

export const seriesKey = (i: number) => `s${i}`;

export function plotRows(series: PlotSeries[]): Row[] {
  const rows = new Map<number, Row>();
  const row = (x: number) => {
    let r = rows.get(x);
    if (!r) rows.set(x, (r = { x }));
    return r;
  };
  series.forEach((s, i) => {
    const key = seriesKey(i);
    if (s.kind === 'line')
      for (const [x, y] of s.points) if (Number.isFinite(x)) row(x)[key] = Number.isFinite(y) ? y : null;
    if (s.kind === 'band')
      for (const [x, lo, hi] of s.points)
        if (Number.isFinite(x)) row(x)[key] = Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null;
    if (s.kind === 'bars')
      for (const { x0, x1, y } of s.bars)
        if (Number.isFinite(x0) && Number.isFinite(x1) && Number.isFinite(y) && y > 0) {
          const r = row((x0 + x1) / 2);
          r[key] = y;
          r[`${key}w`] = x1 - x0;
        }
  });
  // Frozen here, the array alone: recharts' store (immer) freezes what it is given, and would
  // otherwise walk every row to do it on each redraw.
  return Object.freeze([...rows.values()].sort((a, b) => a.x - b.x)) as Row[];
}

/** The range of the finite values on one axis over every series (bars from 0). */
export function extent(series: PlotSeries[], axis: 0 | 1): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number) => {
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  };
  for (const s of series) {
    if (s.kind === 'bars') for (const b of s.bars) for (const v of axis === 0 ? [b.x0, b.x1] : [0, b.y]) see(v);
    else if (s.kind === 'band') for (const p of s.points) for (const v of axis === 0 ? [p[0]] : [p[1], p[2]]) see(v);
    else for (const p of s.points) see(p[axis]);
  }
  return [lo, hi];
}

/** The lab's ticks for an axis, handed to recharts as its domain and ticks (recharts' own would not include 0 or stay whole). */
export function ticksFor(a: Axis, data: [number, number]): Ticks {
  if (a.domain) return fixedTicks(a.domain[0], a.domain[1]);
  let [lo, hi] = data;
  for (const v of a.include ?? []) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (!a.integer) return niceTicks(lo, hi);
  // Epochs: the axis spans the epochs there are, with whole-number ticks at a round step.
  [lo, hi] = [Math.floor(lo), Math.max(Math.ceil(hi), Math.floor(lo) + 1)];
  const round = niceTicks(lo, hi);
  const step = Math.max(1, round.ticks[1] - round.ticks[0]);
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) ticks.push(v);
  return { domain: [lo, hi], ticks, decimals: 0 };
}

export const formatOn = (a: Axis, v: number, decimals: number) =>
  a.format ? a.format(v, decimals) : formatTick(v, decimals);

/**
 * Structural equality of plain data (numbers, strings, arrays, plain objects; functions by
 * identity): a plot handed the same numbers again in new arrays has nothing to redraw.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const [oa, ob] = [a as Record<string, unknown>, b as Record<string, unknown>];
  return ka.every((k) => Object.hasOwn(ob, k) && sameValue(oa[k], ob[k]));
}

import { useState, type PointerEvent } from 'react';
import type { LineStyle } from '../palette';
import { SeriesShape } from './plotShapes';
import { fixedTicks, formatTick, niceTicks, type Ticks } from './ticks';
import { useWidth } from './useWidth';

export type Point = [number, number];

/**
 * What a plot draws. Each kind is one SVG path (or a few), never an element per data point, so a
 * redraw with many series and epochs stays a few milliseconds of main-thread work.
 */
export type PlotSeries =
  | {
      kind: 'line';
      id: string;
      label: string;
      colour: string;
      style?: LineStyle;
      width?: number;
      /** A faint line underneath (the raw values under a smoothed curve), left out of the readout. */
      faint?: boolean;
      points: Point[];
    }
  /** A filled band between two values per x (quantile ranges, min–max over classes). */
  | { kind: 'band'; id: string; colour: string; opacity: number; points: [number, number, number][] }
  | { kind: 'bars'; id: string; colour: string; bars: { x0: number; x1: number; y: number }[] }
  | { kind: 'points'; id: string; colour: string; shape: 'dot' | 'ring' | 'cross'; points: Point[] };

export interface Axis {
  label: string;
  /** A domain kept as it is (accuracy: [0, 1]); otherwise the data's range rounded out to whole ticks. */
  domain?: [number, number];
  /** Values the domain always spans (0 on margin axes). */
  include?: number[];
  /** Whole-number ticks only (epochs). */
  integer?: boolean;
  format?: (v: number, decimals: number) => string;
}

export interface Rule {
  axis: 'x' | 'y';
  at: number;
  label?: string;
  dash?: string;
}

interface Props {
  series: PlotSeries[];
  x: Axis;
  y: Axis;
  /** Accessible name of the plot. */
  label: string;
  height?: number;
  rules?: Rule[];
  /** Straight lines in data coordinates (the zero-margin line of the margin plane). */
  segments?: { from: Point; to: Point; dash?: string }[];
  /** Show the values of every line at the x under the pointer. */
  readout?: boolean;
}

const TICK_FONT = 11;
const CHAR = 6.6;

export const percent = (v: number) => `${Math.round(v * 100)}%`;

function extent(series: PlotSeries[], axis: 0 | 1): [number, number] {
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

function ticksFor(a: Axis, data: [number, number]): Ticks {
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

const fmt = (a: Axis, v: number, d: number) => (a.format ? a.format(v, d) : formatTick(v, d));

/** The lab's plot: labelled axes with round ticks that never clip, lines, bands, bars and points. */
export function Plot({ series, x, y, label, height = 220, rules = [], segments = [], readout = true }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);
  const xt = ticksFor(x, extent(series, 0));
  const yt = ticksFor(y, extent(series, 1));
  const yLabels = yt.ticks.map((v) => fmt(y, v, yt.decimals));
  const left = Math.ceil(Math.max(...yLabels.map((s) => s.length), 1) * CHAR) + 26;
  const m = { top: 8, right: 14, bottom: 40, left };
  const w = Math.max(60, width - m.left - m.right);
  const h = Math.max(40, height - m.top - m.bottom);
  const sx = (v: number) => m.left + ((v - xt.domain[0]) / (xt.domain[1] - xt.domain[0] || 1)) * w;
  const sy = (v: number) => m.top + h - ((v - yt.domain[0]) / (yt.domain[1] - yt.domain[0] || 1)) * h;
  const lines = series.filter((s): s is Extract<PlotSeries, { kind: 'line' }> => s.kind === 'line' && !s.faint);
  const xs = [...new Set(lines.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!readout || xs.length === 0) return;
    const box = e.currentTarget.getBoundingClientRect();
    const v = xt.domain[0] + ((e.clientX - box.left - m.left) / w) * (xt.domain[1] - xt.domain[0]);
    let best = xs[0];
    for (const c of xs) if (Math.abs(c - v) < Math.abs(best - v)) best = c;
    setHover(best);
  };
  const at = (pts: Point[], xv: number) => pts.find((p) => p[0] === xv)?.[1];
  return (
    <div className="plot" ref={ref} style={{ height }}>
      {width > 0 && (
        <svg
          className="plot-svg"
          width={width}
          height={height}
          role="img"
          aria-label={label}
          onPointerMove={onMove}
          onPointerLeave={() => setHover(null)}
        >
          <g className="plot-grid" stroke="#e3e6eb">
            {yt.ticks.map((v) => (
              <line key={`y${v}`} x1={m.left} x2={m.left + w} y1={sy(v)} y2={sy(v)} />
            ))}
            {xt.ticks.map((v) => (
              <line key={`x${v}`} y1={m.top} y2={m.top + h} x1={sx(v)} x2={sx(v)} />
            ))}
          </g>
          {series.map((s) => (
            <SeriesShape key={s.id} s={s} sx={sx} sy={sy} base={sy(Math.max(yt.domain[0], 0))} />
          ))}
          {rules.map((r, i) => {
            const p = r.axis === 'x' ? sx(r.at) : sy(r.at);
            // A label near the right edge goes to the rule's left, inside the plot.
            const flip = p > m.left + 0.75 * w;
            return (
              <g key={`r${i}`} className="plot-rule">
                <line
                  x1={r.axis === 'x' ? p : m.left}
                  x2={r.axis === 'x' ? p : m.left + w}
                  y1={r.axis === 'x' ? m.top : p}
                  y2={r.axis === 'x' ? m.top + h : p}
                  stroke="#5b6677"
                  strokeDasharray={r.dash ?? '4 3'}
                />
                {r.label && (
                  <text
                    x={r.axis === 'x' ? (flip ? p - 3 : p + 3) : m.left + w - 2}
                    y={r.axis === 'x' ? m.top + 10 : p - 3}
                    textAnchor={r.axis === 'x' && !flip ? 'start' : 'end'}
                    fontSize={10}
                    fill="#4a5566"
                  >
                    {r.label}
                  </text>
                )}
              </g>
            );
          })}
          {segments.map((g, i) => (
            <line
              key={`s${i}`}
              x1={sx(g.from[0])}
              y1={sy(g.from[1])}
              x2={sx(g.to[0])}
              y2={sy(g.to[1])}
              stroke="#333"
              strokeDasharray={g.dash ?? '6 4'}
            />
          ))}
          <g className="plot-axes" fontSize={TICK_FONT} fill="#333d4a">
            <line x1={m.left} x2={m.left + w} y1={m.top + h} y2={m.top + h} stroke="#9aa5b4" />
            <line x1={m.left} x2={m.left} y1={m.top} y2={m.top + h} stroke="#9aa5b4" />
            {yt.ticks.map((v, i) => (
              <text key={`yl${v}`} x={m.left - 5} y={sy(v) + 4} textAnchor="end">
                {yLabels[i]}
              </text>
            ))}
            {xt.ticks.map((v) => (
              <text key={`xl${v}`} x={sx(v)} y={m.top + h + 15} textAnchor="middle">
                {fmt(x, v, xt.decimals)}
              </text>
            ))}
            <text x={m.left + w / 2} y={height - 6} textAnchor="middle" fontSize={12}>
              {x.label}
            </text>
            <text transform={`translate(12 ${m.top + h / 2}) rotate(-90)`} textAnchor="middle" fontSize={12}>
              {y.label}
            </text>
          </g>
          {hover !== null && (
            <line x1={sx(hover)} x2={sx(hover)} y1={m.top} y2={m.top + h} stroke="#1d2430" strokeOpacity={0.35} />
          )}
        </svg>
      )}
      {hover !== null && (
        <div
          className="plot-readout"
          style={{ left: Math.min(sx(hover) + 8, Math.max(0, width - 190)), top: m.top }}
          aria-hidden="true"
        >
          <div>
            {x.label} {fmt(x, hover, x.integer ? 0 : Math.max(xt.decimals, 2))}
          </div>
          {lines.map((s) => {
            const v = at(s.points, hover);
            return v === undefined || !Number.isFinite(v) ? null : (
              <div key={s.id}>
                <span style={{ color: s.colour }}>■</span> {s.label}: {fmt(y, v, Math.max(yt.decimals + 1, 3))}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

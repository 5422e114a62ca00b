import { memo, useMemo } from 'react';
import { ComposedChart, Tooltip } from 'recharts';
import type { LineStyle } from '../palette';
import { decimateRows } from './decimate';
import { axisElements, yAxisWidth } from './plotAxes';
import { extent, formatOn, plotRows, sameValue, seriesKey, ticksFor, type Row } from './plotData';
import { ruleElement, segmentElement, seriesElements } from './plotShapes';
import { useTurn } from './useTurn';
import { useWidth } from './useWidth';

export type Point = [number, number];

/**
 * What a plot draws. Lines and bands are one SVG path each (recharts' Line and Area, without dots
 * or animation), never an element per data point, so a redraw with many series and epochs stays cheap.
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

const HEIGHT = 220;
const MARGIN = { top: 8, right: 14, bottom: 0, left: 0 };
const CURSOR = { stroke: '#1d2430', strokeOpacity: 0.35 };
/** The readout sits at the top of the plot, beside the pointer. */
const READOUT_AT = { y: MARGIN.top };

export const percent = (v: number) => `${Math.round(v * 100)}%`;

/**
 * The lab's plot on recharts: labelled axes with the lab's round ticks, lines, bands, bars and points.
 * It redraws only when what it shows changes: a view that renders again with the same numbers in
 * new arrays (the boundary panel on every progress message) costs a comparison, not a recharts
 * update. New numbers are drawn when the plot's turn comes, one plot per task (useTurn).
 *
 * Recharts keeps every axis, line and reference element in a store and registers it again, which
 * recomputes the whole chart, whenever React renders it again (a ReferenceLine on every render).
 * So each group of elements is memoised on a key of what it shows, and stays the same object while
 * that is unchanged: React then skips it, and what changes with each epoch reaches recharts as the
 * chart's rows alone. (The keys stand for everything the elements read, hence the disabled lint.)
 */
export const Plot = memo(function Plot(props: Props) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const shown = useTurn(props, width > 0);
  return (
    <div className="plot" ref={ref} style={{ height: props.height ?? HEIGHT }}>
      {shown && width > 0 && <PlotChart {...shown} width={width} />}
    </div>
  );
}, sameValue);

const PlotChart = memo(function PlotChart({
  series,
  x,
  y,
  label,
  height = HEIGHT,
  rules = [],
  segments = [],
  readout = true,
  width,
}: Props & { width: number }) {
  const xt = ticksFor(x, extent(series, 0));
  const yt = ticksFor(y, extent(series, 1));
  const yWidth = yAxisWidth(y, yt);
  const span = xt.domain[1] - xt.domain[0] || 1;
  const hasBars = series.some((s) => s.kind === 'bars');
  // Long runs are thinned before recharts sees them (the axes above span every value); a
  // histogram's bins are few and each one counts.
  const all = plotRows(series);
  const rows = hasBars
    ? all
    : decimateRows(
        all,
        series.map((_, i) => seriesKey(i)),
      );
  // Bars are as wide as their bins: pixels per x unit (only they need it).
  const pxPerUnit = hasBars ? Math.max(0, width - MARGIN.left - MARGIN.right - yWidth) / span : 0;

  const axesKey = JSON.stringify([xt, yt, x.label, y.label, yWidth]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const axes = useMemo(() => axisElements(x, y, xt, yt, yWidth), [axesKey, x.format, y.format]);
  // Lines, bands and bars read their values from the rows: only how they look keys them.
  const looks = series.map((s) =>
    s.kind === 'points' ? s : s.kind === 'bars' ? { ...s, bars: [] } : { ...s, points: [] },
  );
  const shapesKey = JSON.stringify([looks, pxPerUnit]);
  const shapes = useMemo(
    () => series.map((s, i) => seriesElements(s, seriesKey(i), pxPerUnit)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [shapesKey],
  );
  const flips = rules.map((r) => r.axis === 'x' && (r.at - xt.domain[0]) / span > 0.75);
  const refsKey = JSON.stringify([rules, segments, flips]);
  const refs = useMemo(
    () => [...rules.map((r, i) => ruleElement(r, i, flips[i])), ...segments.map(segmentElement)],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [refsKey],
  );
  return (
    <ComposedChart
      width={width}
      height={height}
      data={rows}
      margin={MARGIN}
      accessibilityLayer={false}
      role="img"
      aria-label={label}
    >
      {axes}
      {shapes}
      {refs}
      {readout && (
        <Tooltip
          isAnimationActive={false}
          cursor={CURSOR}
          position={READOUT_AT}
          content={({ active, label: at }) =>
            active && typeof at === 'number' ? (
              <Readout
                at={at}
                rows={rows}
                series={series}
                x={x}
                y={y}
                xDecimals={xt.decimals}
                yDecimals={yt.decimals}
              />
            ) : null
          }
        />
      )}
    </ComposedChart>
  );
});

/** The values of every line (not the faint raw ones) at the x under the pointer. */
function Readout(p: {
  at: number;
  rows: Row[];
  series: PlotSeries[];
  x: Axis;
  y: Axis;
  xDecimals: number;
  yDecimals: number;
}) {
  const row = p.rows.find((r) => r.x === p.at);
  return (
    <div className="plot-readout" aria-hidden="true">
      <div>
        {p.x.label} {formatOn(p.x, p.at, p.x.integer ? 0 : Math.max(p.xDecimals, 2))}
      </div>
      {p.series.map((s, i) => {
        const v = row?.[seriesKey(i)];
        return s.kind !== 'line' || s.faint || typeof v !== 'number' ? null : (
          <div key={s.id}>
            <span style={{ color: s.colour }}>■</span> {s.label}: {formatOn(p.y, v, Math.max(p.yDecimals + 1, 3))}
          </div>
        );
      })}
    </div>
  );
}

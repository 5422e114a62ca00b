import { Area, Bar, Curve, Line, ReferenceLine, useXAxisScale, useYAxisScale, type LineDrawShapeProps } from 'recharts';
import { LINE_STYLE } from '../palette';
import type { PlotSeries, Point, Rule } from './Plot';
import type { ViewBox } from './plotAxes';

/** Redraws stay cheap: no animation, no dots, no hover dots, nothing in recharts' own legend. */
const STILL = { isAnimationActive: false, legendType: 'none' } as const;

/**
 * A line's path, as recharts' own shape draws it but without its pathRef: recharts reads the
 * path's length through it on every redraw, for an entrance animation these lines never play,
 * and that read forces a layout of the page.
 */
function stillCurve({
  pathRef,
  visibleLength,
  animationElapsedTime,
  isAnimating,
  isEntrance,
  ...curve
}: LineDrawShapeProps) {
  void [pathRef, visibleLength, animationElapsedTime, isAnimating, isEntrance];
  return <Curve {...curve} />;
}

const R = 2.6;

/**
 * Samples as marks (a dot, a ring or a cross: shape and colour carry the state together), one path
 * for the whole series at recharts' own scales. A Scatter would be a React component per sample,
 * and with hundreds of validation samples its redraw held the main thread for 100 ms and more.
 */
function PointMarks({ s }: { s: Extract<PlotSeries, { kind: 'points' }> }) {
  const sx = useXAxisScale();
  const sy = useYAxisScale();
  if (!sx || !sy) return null;
  let d = '';
  for (const [x, y] of s.points) {
    const [cx, cy] = [sx(x), sy(y)];
    if (cx === undefined || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy)) continue;
    d +=
      s.shape === 'cross'
        ? `M${cx - R} ${cy - R}l${2 * R} ${2 * R}m0 ${-2 * R}l${-2 * R} ${2 * R}`
        : `M${cx - R} ${cy}a${R} ${R} 0 1 0 ${2 * R} 0a${R} ${R} 0 1 0 ${-2 * R} 0`;
  }
  return (
    <path
      className="plot-points"
      data-series={s.id}
      d={d}
      fill={s.shape === 'dot' ? s.colour : 'none'}
      stroke={s.colour}
      strokeWidth={s.shape === 'cross' ? 1.6 : 1.2}
    />
  );
}

/**
 * A histogram bar spanning its bin (recharts places a bar at its x, the bin's centre; the row holds
 * the bin's width), half a pixel in from each edge so that neighbours stay apart.
 */
function bar(key: string, pxPerUnit: number, fill: string) {
  return (p: { x?: number; y?: number; width?: number; height?: number; payload?: unknown }) => {
    const { x = 0, y = 0, width = 0, height = 0 } = p;
    const payload = p.payload as Record<string, unknown> | undefined;
    const centre = x + width / 2;
    const half = (Number(payload?.[`${key}w`]) * pxPerUnit) / 2;
    return <rect x={centre - half + 0.5} y={y} width={Math.max(1, 2 * half - 1)} height={height} fill={fill} />;
  };
}

/**
 * One series as recharts elements, drawn from the chart's rows under `key`: lines and bands are one
 * path each (Line, Area with a [lo, hi] value), bars a Bar on the numeric x axis; points are a
 * path of marks of their own (PointMarks). data-series names the series in the DOM.
 * `pxPerUnit`: pixels per x unit, for the bars' widths.
 */
export function seriesElements(s: PlotSeries, key: string, pxPerUnit: number) {
  switch (s.kind) {
    case 'line':
      return (
        <Line
          {...STILL}
          key={s.id}
          className="plot-line"
          data-series={s.id}
          dataKey={key}
          name={s.label}
          type="linear"
          stroke={s.colour}
          strokeOpacity={s.faint ? 0.25 : undefined}
          strokeWidth={s.width ?? (s.faint ? 1.5 : 2)}
          strokeDasharray={LINE_STYLE[s.style ?? 'validation'].dash || undefined}
          strokeLinejoin="round"
          dot={false}
          activeDot={false}
          shape={stillCurve}
        />
      );
    case 'band':
      return (
        <Area
          {...STILL}
          key={s.id}
          className="plot-band"
          data-series={s.id}
          dataKey={key}
          type="linear"
          stroke="none"
          fill={s.colour}
          fillOpacity={s.opacity}
          dot={false}
          activeDot={false}
        />
      );
    case 'bars':
      return (
        <Bar
          {...STILL}
          key={s.id}
          className="plot-bars"
          data-series={s.id}
          dataKey={key}
          fill={s.colour}
          barSize={1}
          shape={bar(key, pxPerUnit, s.colour)}
          activeBar={false}
        />
      );
    case 'points':
      return <PointMarks key={s.id} s={s} />;
  }
}

/**
 * A rule across the plot; its label sits at the top of a vertical rule (to its left near the
 * right edge, inside the plot) or at the right end of a horizontal one.
 */
export function ruleElement(r: Rule, i: number, flip: boolean) {
  const label = r.label
    ? ({ viewBox: v = {} }: ViewBox) => {
        const [x, y, w] = [v.x ?? 0, v.y ?? 0, v.width ?? 0];
        return (
          <text
            x={r.axis === 'x' ? (flip ? x - 3 : x + 3) : x + w - 2}
            y={r.axis === 'x' ? y + 10 : y - 3}
            textAnchor={r.axis === 'x' && !flip ? 'start' : 'end'}
            fontSize={10}
            fill="#4a5566"
          >
            {r.label}
          </text>
        );
      }
    : undefined;
  return (
    <ReferenceLine
      key={`r${i}`}
      className="plot-rule"
      {...(r.axis === 'x' ? { x: r.at } : { y: r.at })}
      stroke="#5b6677"
      strokeDasharray={r.dash ?? '4 3'}
      label={label}
    />
  );
}

/** A straight line in data coordinates (the margin plane's zero line), clipped to the plot. */
export function segmentElement(g: { from: Point; to: Point; dash?: string }, i: number) {
  return (
    <ReferenceLine
      key={`g${i}`}
      className="plot-segment"
      segment={[
        { x: g.from[0], y: g.from[1] },
        { x: g.to[0], y: g.to[1] },
      ]}
      stroke="#333"
      strokeDasharray={g.dash ?? '6 4'}
      ifOverflow="hidden"
    />
  );
}

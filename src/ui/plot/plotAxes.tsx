import { CartesianGrid, XAxis, YAxis } from 'recharts';
import type { Axis } from './Plot';
import { formatOn } from './plotData';
import type { Ticks } from './ticks';

/** Room under the plot for the x ticks and the x label. */
const X_AXIS_HEIGHT = 40;
const CHAR = 6.6;
const AXIS_COLOUR = '#9aa5b4';
const TEXT_COLOUR = '#333d4a';

/**
 * A tick label as plain text: recharts' own Text measures every label (for wrapping these never
 * need) on every redraw. dy centres it on the y ticks and hangs it below the x axis.
 */
const tick =
  (a: Axis, t: Ticks, dy: string) =>
  (p: { x?: number | string; y?: number | string; textAnchor?: string; payload?: { value?: unknown } }) => (
    <text
      className="plot-tick"
      x={p.x}
      y={p.y}
      dy={dy}
      textAnchor={p.textAnchor as 'start' | 'middle' | 'end'}
      fontSize={11}
      fill={TEXT_COLOUR}
    >
      {formatOn(a, Number(p.payload?.value), t.decimals)}
    </text>
  );

/** The y axis' width: its longest tick label, the gap to the plot and its own label. */
export const yAxisWidth = (y: Axis, t: Ticks) =>
  Math.ceil(Math.max(...t.ticks.map((v) => formatOn(y, v, t.decimals).length), 1) * CHAR) + 26;

/** What recharts hands a custom label: the box of what it labels, in pixels. */
export interface ViewBox {
  viewBox?: { x?: number; y?: number; width?: number; height?: number };
}

/** Axis labels drawn inside the axis' own box, so they are never clipped. */
const xLabel =
  (text: string) =>
  ({ viewBox: v = {} }: ViewBox) => (
    <text
      x={(v.x ?? 0) + (v.width ?? 0) / 2}
      y={(v.y ?? 0) + (v.height ?? 0) - 6}
      textAnchor="middle"
      fontSize={12}
      fill={TEXT_COLOUR}
    >
      {text}
    </text>
  );
const yLabel =
  (text: string) =>
  ({ viewBox: v = {} }: ViewBox) => (
    <text
      transform={`translate(${(v.x ?? 0) + 12} ${(v.y ?? 0) + (v.height ?? 0) / 2}) rotate(-90)`}
      textAnchor="middle"
      fontSize={12}
      fill={TEXT_COLOUR}
    >
      {text}
    </text>
  );

/**
 * The grid and both axes on the lab's ticks: recharts gets them as explicit domains and ticks,
 * every one shown (interval 0), and the grid lines sit at the same ticks, placed by recharts'
 * scales (its own grid generator would re-derive ticks, measuring their text).
 */
export function axisElements(x: Axis, y: Axis, xt: Ticks, yt: Ticks, yWidth: number) {
  return [
    <CartesianGrid
      key="grid"
      stroke="#e3e6eb"
      verticalCoordinatesGenerator={({ xAxis }) => xt.ticks.map((v) => xAxis?.scale?.map(v) ?? NaN)}
      horizontalCoordinatesGenerator={({ yAxis }) => yt.ticks.map((v) => yAxis?.scale?.map(v) ?? NaN)}
    />,
    <XAxis
      key="x"
      type="number"
      dataKey="x"
      domain={xt.domain}
      ticks={xt.ticks}
      interval={0}
      allowDataOverflow
      niceTicks="none"
      tick={tick(x, xt, '0.71em')}
      tickLine={false}
      tickSize={4}
      stroke={AXIS_COLOUR}
      height={X_AXIS_HEIGHT}
      label={xLabel(x.label)}
    />,
    <YAxis
      key="y"
      type="number"
      domain={yt.domain}
      ticks={yt.ticks}
      interval={0}
      allowDataOverflow
      niceTicks="none"
      tick={tick(y, yt, '0.355em')}
      tickLine={false}
      tickSize={3}
      stroke={AXIS_COLOUR}
      width={yWidth}
      label={yLabel(y.label)}
    />,
  ];
}

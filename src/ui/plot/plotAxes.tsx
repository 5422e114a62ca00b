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

type Side = 'x' | 'y';

/** An axis label drawn inside the axis' own box, so it is never clipped: under the x axis, turned beside the y axis. */
const axisLabel =
  (side: Side, text: string) =>
  ({ viewBox: v = {} }: ViewBox) => {
    const [x, y, w, h] = [v.x ?? 0, v.y ?? 0, v.width ?? 0, v.height ?? 0];
    const at =
      side === 'x' ? { x: x + w / 2, y: y + h - 6 } : { transform: `translate(${x + 12} ${y + h / 2}) rotate(-90)` };
    return (
      <text {...at} textAnchor="middle" fontSize={12} fill={TEXT_COLOUR}>
        {text}
      </text>
    );
  };

/**
 * One axis on the lab's ticks: recharts gets them as an explicit domain and ticks, every one shown
 * (interval 0). `size`: the x axis' height or the y axis' width.
 */
function axisElement(side: Side, a: Axis, t: Ticks, size: number) {
  const common = {
    type: 'number',
    domain: t.domain,
    ticks: t.ticks,
    interval: 0,
    allowDataOverflow: true,
    niceTicks: 'none',
    tickLine: false,
    stroke: AXIS_COLOUR,
    label: axisLabel(side, a.label),
  } as const;
  return side === 'x' ? (
    <XAxis key="x" {...common} dataKey="x" tick={tick(a, t, '0.71em')} tickSize={4} height={size} />
  ) : (
    <YAxis key="y" {...common} tick={tick(a, t, '0.355em')} tickSize={3} width={size} />
  );
}

/**
 * The grid and both axes. The grid lines sit at the axes' ticks, placed by recharts' scales (its
 * own grid generator would re-derive ticks, measuring their text).
 */
export function axisElements(x: Axis, y: Axis, xt: Ticks, yt: Ticks, yWidth: number) {
  return [
    <CartesianGrid
      key="grid"
      stroke="#e3e6eb"
      verticalCoordinatesGenerator={({ xAxis }) => xt.ticks.map((v) => xAxis?.scale?.map(v) ?? NaN)}
      horizontalCoordinatesGenerator={({ yAxis }) => yt.ticks.map((v) => yAxis?.scale?.map(v) ?? NaN)}
    />,
    axisElement('x', x, xt, X_AXIS_HEIGHT),
    axisElement('y', y, yt, yWidth),
  ];
}

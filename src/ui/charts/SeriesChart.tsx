import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface Series {
  key: string;
  name?: string;
  colour: string;
  dashed?: boolean;
}

interface Props {
  rows: Record<string, number | undefined>[];
  x: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Numeric x axis from 0 (ε), rather than categories (epochs). */
  numericX?: boolean;
  /** Accuracies: the y axis spans [0, 1]. */
  unitY?: boolean;
  height?: number;
}

/** The lab's line chart: grid, labelled axes, tooltip, legend on top, no animation. */
export function SeriesChart({ rows, x, xLabel, yLabel, series, numericX = false, unitY = true, height = 240 }: Props) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey={x}
          {...(numericX ? { type: 'number' as const, domain: [0, 'dataMax'] as [number, string] } : {})}
          label={{ value: xLabel, position: 'insideBottom', offset: -10 }}
        />
        <YAxis
          {...(unitY ? { domain: [0, 1] as [number, number] } : {})}
          label={{ value: yLabel, angle: -90, position: 'insideLeft' }}
        />
        <Tooltip />
        <Legend verticalAlign="top" />
        {series.map((s) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.name ?? s.key}
            stroke={s.colour}
            strokeDasharray={s.dashed ? '5 3' : undefined}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

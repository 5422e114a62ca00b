import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochRecord } from '../../core/train/snapshot';
import { PALETTE } from '../palette';
import { ChartFigure } from './ChartFigure';

/** Per modality: the median minimal uni-modal margin over epochs, with 25–75% and 5–95% bands. */
export function MarginBands({ history, modalities }: { history: EpochRecord[]; modalities: string[] }) {
  const rows = history
    .filter((r) => r.evaluation)
    .map((r) => {
      const row: Record<string, number | number[]> = { epoch: r.runEpoch };
      r.evaluation!.marginQuantiles.forEach((q, m) => {
        row[`outer${m}`] = [q[0], q[4]];
        row[`inner${m}`] = [q[1], q[3]];
        row[`median${m}`] = q[2];
      });
      return row;
    });
  const last = history.at(-1)?.evaluation?.marginQuantiles;
  return (
    <ChartFigure
      id="chart-margins"
      title="Uni-modal margins"
      caption="each modality's smallest margin z_y − z_k over k ≠ y on the validation split: the median, with 25–75% (dark) and 5–95% (light) bands; below zero that branch alone gets the sample wrong."
      summary={last ? last.map((q, m) => `${modalities[m]}:${q[2].toFixed(4)}`).join(' ') : ''}
      empty={rows.length ? null : 'Train an epoch to see the margins.'}
    >
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="epoch" label={{ value: 'epoch', position: 'insideBottom', offset: -10 }} />
          <YAxis label={{ value: 'margin', angle: -90, position: 'insideLeft' }} />
          <Tooltip />
          <Legend verticalAlign="top" />
          {modalities.flatMap((name, m) => [
            <Area
              key={`o${m}`}
              dataKey={`outer${m}`}
              name={`${name} 5–95%`}
              fill={PALETTE[m]}
              fillOpacity={0.15}
              stroke="none"
              isAnimationActive={false}
              legendType="none"
            />,
            <Area
              key={`i${m}`}
              dataKey={`inner${m}`}
              name={`${name} 25–75%`}
              fill={PALETTE[m]}
              fillOpacity={0.35}
              stroke="none"
              isAnimationActive={false}
              legendType="none"
            />,
            <Line
              key={`m${m}`}
              dataKey={`median${m}`}
              name={`${name} median`}
              stroke={PALETTE[m]}
              dot={false}
              isAnimationActive={false}
            />,
          ])}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

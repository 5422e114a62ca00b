import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochRecord } from '../../core/train/snapshot';
import { PALETTE } from '../palette';
import { ChartFigure } from './ChartFigure';

const DASH = ['', '6 3', '2 2', '8 3 2 3'];

/** aᵐₖ over epochs: colour is the class, the line style the modality. */
export function IntegrationWeights({
  history,
  modalities,
  classes,
}: {
  history: EpochRecord[];
  modalities: string[];
  classes: string[];
}) {
  const rows = history
    .filter((r) => r.integration)
    .map((r) => {
      const row: Record<string, number> = { epoch: r.runEpoch };
      r.integration!.forEach((a, m) => a.forEach((v, k) => (row[`a${m}_${k}`] = v)));
      return row;
    });
  const last = history.at(-1)?.integration;
  return (
    <ChartFigure
      id="chart-integration"
      title="Integration weights aᵐ"
      caption="the CRMT head's weight on each modality's logit for each class (colour: class; line style: modality); step 2 moves only these."
      summary={last ? last.map((a, m) => `${modalities[m]}:${a.map((v) => v.toFixed(4)).join(',')}`).join(' ') : ''}
      empty={
        rows.length
          ? null
          : history.length
            ? 'This method has a joint head: no integration weights.'
            : 'Train a CRMT-head method (ojt, crmt-…) to see them.'
      }
    >
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="epoch" label={{ value: 'epoch', position: 'insideBottom', offset: -10 }} />
          <YAxis label={{ value: 'aᵐₖ', angle: -90, position: 'insideLeft' }} />
          <Tooltip />
          <Legend verticalAlign="top" />
          {modalities.flatMap((name, m) =>
            classes.map((cls, k) => (
              <Line
                key={`${m}_${k}`}
                dataKey={`a${m}_${k}`}
                name={`${name} · ${cls}`}
                stroke={PALETTE[k % PALETTE.length]}
                strokeDasharray={DASH[m % DASH.length]}
                dot={false}
                isAnimationActive={false}
              />
            )),
          )}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

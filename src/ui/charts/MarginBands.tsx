import type { EpochRecord } from '../../core/train/snapshot';
import { modalityColour } from '../palette';
import { Legend } from '../plot/Legend';
import { Plot, type PlotSeries } from '../plot/Plot';
import { ChartFigure } from './ChartFigure';
import { phaseRules } from './phaseRules';

/** Per modality: the median minimal uni-modal margin over epochs, with 25–75% and 5–95% bands. */
export function MarginBands({ history, modalities }: { history: EpochRecord[]; modalities: string[] }) {
  const rows = history.filter((r) => r.evaluation);
  const series: PlotSeries[] = modalities.flatMap((name, m): PlotSeries[] => {
    const q = (i: number) => rows.map((r) => r.evaluation!.marginQuantiles[m][i]);
    const [q5, q25, q50, q75, q95] = [0, 1, 2, 3, 4].map(q);
    const x = rows.map((r) => r.runEpoch);
    return [
      {
        kind: 'band',
        id: `outer-${m}`,
        colour: modalityColour(m),
        opacity: 0.12,
        points: x.map((e, i) => [e, q5[i], q95[i]]),
      },
      {
        kind: 'band',
        id: `inner-${m}`,
        colour: modalityColour(m),
        opacity: 0.3,
        points: x.map((e, i) => [e, q25[i], q75[i]]),
      },
      {
        kind: 'line',
        id: `median-${m}`,
        label: `${name} median`,
        colour: modalityColour(m),
        points: x.map((e, i) => [e, q50[i]]),
      },
    ];
  });
  const last = history.at(-1)?.evaluation?.marginQuantiles;
  return (
    <ChartFigure
      id="chart-margins"
      title="Uni-modal margins"
      caption="each modality's smallest margin z_y − z_k over k ≠ y on the validation split: the median (line), with 25–75% (dark) and 5–95% (light) bands; below the 0 line that branch alone gets the sample wrong."
      summary={last ? last.map((q, m) => `${modalities[m]}:${q[2].toFixed(4)}`).join(' ') : ''}
      empty={rows.length ? null : 'Train an epoch to see the margins.'}
    >
      <Legend
        colours={[
          ...modalities.map((m, i) => ({ label: `${m}: median`, colour: modalityColour(i) })),
          { label: 'middle 50% / 90% of samples', colour: '#5b6677', swatch: 'band' as const },
        ]}
      />
      <Plot
        label="Uni-modal margin quantiles per epoch"
        series={series}
        x={{ label: 'epoch', integer: true }}
        y={{ label: 'margin', include: [0] }}
        rules={[{ axis: 'y', at: 0, dash: '2 2' }, ...phaseRules(rows)]}
      />
    </ChartFigure>
  );
}

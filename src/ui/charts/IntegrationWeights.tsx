import { useState } from 'react';
import type { EpochRecord } from '../../core/train/snapshot';
import { modalityColour } from '../palette';
import { Legend } from '../plot/Legend';
import { Plot, type PlotSeries } from '../plot/Plot';
import { ChartFigure } from './ChartFigure';
import { phaseRules } from './phaseRules';

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

/**
 * aᵐₖ over epochs, one colour per modality. With many classes a line per (modality, class) is
 * unreadable, so the plot shows each modality's mean over classes with its min–max band, and a
 * picker shows one class's weights instead.
 */
export function IntegrationWeights({
  history,
  modalities,
  classes,
}: {
  history: EpochRecord[];
  modalities: string[];
  classes: string[];
}) {
  const [picked, setPicked] = useState<number | null>(null);
  const cls = picked !== null && picked < classes.length ? picked : null;
  const rows = history.filter((r) => r.integration);
  const series: PlotSeries[] = modalities.flatMap((name, m): PlotSeries[] => {
    const x = rows.map((r) => r.runEpoch);
    const a = rows.map((r) => r.integration![m] ?? []);
    if (cls !== null)
      return [
        {
          kind: 'line',
          id: `a-${m}`,
          label: `${name}, ${classes[cls]}`,
          colour: modalityColour(m),
          points: x.map((e, i) => [e, a[i][cls]]),
        },
      ];
    return [
      {
        kind: 'band',
        id: `range-${m}`,
        colour: modalityColour(m),
        opacity: 0.18,
        points: x.map((e, i) => [e, Math.min(...a[i]), Math.max(...a[i])]),
      },
      {
        kind: 'line',
        id: `a-${m}`,
        label: `${name}, mean over classes`,
        colour: modalityColour(m),
        points: x.map((e, i) => [e, mean(a[i])]),
      },
    ];
  });
  const last = history.at(-1)?.integration;
  return (
    <ChartFigure
      id="chart-integration"
      title="Integration weights aᵐ"
      caption="the CRMT head's weight on each modality's logits, per class; step 2 moves only these. A modality with larger weights counts for more in the fused decision."
      summary={last ? last.map((a, m) => `${modalities[m]}:${a.map((v) => v.toFixed(4)).join(',')}`).join(' ') : ''}
      empty={
        rows.length
          ? null
          : history.length
            ? 'This method has a joint head: no integration weights.'
            : 'Train a CRMT-head method (ojt, crmt-…) to see them.'
      }
    >
      <div className="chart-head">
        <Legend
          colours={[
            ...modalities.map((m, i) => ({ label: cls === null ? `${m}: mean` : m, colour: modalityColour(i) })),
            ...(cls === null ? [{ label: 'range over classes', colour: '#5b6677', swatch: 'band' as const }] : []),
          ]}
        />
        <label className="inline">
          Classes
          <select
            value={cls === null ? 'all' : String(cls)}
            onChange={(e) => setPicked(e.target.value === 'all' ? null : Number(e.target.value))}
            data-testid="integration-class"
          >
            <option value="all">all {classes.length}: mean and range</option>
            {classes.map((c, k) => (
              <option key={c} value={k}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Plot
        label="Integration weights per epoch"
        series={series}
        x={{ label: 'epoch', integer: true }}
        y={{ label: 'weight aᵐₖ', include: [0] }}
        rules={phaseRules(rows)}
      />
    </ChartFigure>
  );
}

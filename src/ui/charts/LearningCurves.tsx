import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochRecord } from '../../core/train/snapshot';
import { PALETTE } from '../palette';
import { ChartFigure } from './ChartFigure';
import { MAX_SMOOTHING, smooth } from './smooth';

const DASH = ['2 2', '8 3 2 3', '1 3'];

/** Loss and accuracy per epoch, train and validation, fused and per branch, with smoothing. */
export function LearningCurves({ history, modalities = [] }: { history: EpochRecord[]; modalities?: string[] }) {
  const [weight, setWeight] = useState(0);
  const series: Record<string, number[]> = {
    'train loss': history.map((r) => r.train.loss),
    'val loss': history.map((r) => r.val.loss),
    'train acc': history.map((r) => r.train.accuracy),
    'val acc': history.map((r) => r.val.accuracy),
    ...Object.fromEntries(
      modalities.map((m, i) => [`val acc ${m} alone`, history.map((r) => r.val.branchAccuracy[i])]),
    ),
  };
  const smoothed = Object.fromEntries(Object.entries(series).map(([k, v]) => [k, smooth(v, weight)]));
  // Smoothed, the raw values stay as faint lines underneath (TensorBoard's view).
  const raw = (k: string) => `${k} (raw)`;
  const rows = history.map((r, i) => ({
    epoch: r.runEpoch,
    ...Object.fromEntries(Object.entries(smoothed).map(([k, v]) => [k, v[i]])),
    ...(weight > 0 ? Object.fromEntries(Object.entries(series).map(([k, v]) => [raw(k), v[i]])) : {}),
  }));
  const lines = [
    { key: 'train loss', axis: 'loss', colour: PALETTE[0] },
    { key: 'val loss', axis: 'loss', colour: PALETTE[0], dash: '5 3' },
    { key: 'train acc', axis: 'acc', colour: PALETTE[1] },
    { key: 'val acc', axis: 'acc', colour: PALETTE[1], dash: '5 3' },
    ...modalities.map((m, i) => ({
      key: `val acc ${m} alone`,
      axis: 'acc',
      colour: PALETTE[2 + i],
      dash: DASH[i % DASH.length],
    })),
  ];
  const last = history.at(-1);
  return (
    <ChartFigure
      id="learning-curves"
      title="Loss and accuracy"
      caption="cross-entropy (left axis) and accuracy (right axis) after each epoch, on the training and validation splits, for the fused model and for each modality's branch alone. Smoothing is TensorBoard's debiased moving average; the raw values stay as faint lines."
      summary={last ? `${last.val.loss.toFixed(4)} ${last.val.accuracy.toFixed(4)}` : ''}
      empty={rows.length === 0 ? 'Start training to see the curves.' : null}
    >
      <label className="inline smoothing">
        Smoothing
        <input
          type="range"
          min={0}
          max={MAX_SMOOTHING}
          step={0.001}
          value={weight}
          onChange={(e) => setWeight(Number(e.target.value))}
          data-testid="smoothing"
        />
        <output>{weight.toFixed(3)}</output>
      </label>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="epoch" label={{ value: 'epoch', position: 'insideBottom', offset: -10 }} />
          <YAxis yAxisId="loss" label={{ value: 'loss', angle: -90, position: 'insideLeft' }} />
          <YAxis
            yAxisId="acc"
            orientation="right"
            domain={[0, 1]}
            label={{ value: 'accuracy', angle: 90, position: 'insideRight' }}
          />
          <Tooltip />
          <Legend verticalAlign="top" />
          {weight > 0 &&
            lines.map((l) => (
              <Line
                key={raw(l.key)}
                yAxisId={l.axis}
                dataKey={raw(l.key)}
                stroke={l.colour}
                strokeOpacity={0.25}
                strokeDasharray={l.dash}
                legendType="none"
                tooltipType="none"
                dot={false}
                isAnimationActive={false}
              />
            ))}
          {lines.map((l) => (
            <Line
              key={l.key}
              yAxisId={l.axis}
              dataKey={l.key}
              stroke={l.colour}
              strokeDasharray={l.dash}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

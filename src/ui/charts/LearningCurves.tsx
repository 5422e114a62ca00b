import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochRecord } from '../../core/train/snapshot';
import { PALETTE } from '../palette';
import { ChartFigure } from './ChartFigure';

/** Exponential moving average, as TensorBoard smooths: 0 leaves the series as it is. */
export function smooth(values: number[], weight: number): number[] {
  let last = values[0];
  return values.map((v) => (last = Number.isFinite(last) ? last * weight + (1 - weight) * v : v));
}

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
  const rows = history.map((r, i) => ({
    epoch: r.runEpoch,
    ...Object.fromEntries(Object.entries(smoothed).map(([k, v]) => [k, v[i]])),
  }));
  const last = history.at(-1);
  return (
    <ChartFigure
      id="learning-curves"
      title="Loss and accuracy"
      caption="cross-entropy (left axis) and accuracy (right axis) after each epoch, on the training and validation splits, for the fused model and for each modality's branch alone."
      summary={last ? `${last.val.loss.toFixed(4)} ${last.val.accuracy.toFixed(4)}` : ''}
      empty={rows.length === 0 ? 'Start training to see the curves.' : null}
    >
      <label className="inline smoothing">
        Smoothing
        <input
          type="range"
          min={0}
          max={0.95}
          step={0.05}
          value={weight}
          onChange={(e) => setWeight(Number(e.target.value))}
          data-testid="smoothing"
        />
        <output>{weight.toFixed(2)}</output>
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
          <Line yAxisId="loss" dataKey="train loss" stroke={PALETTE[0]} dot={false} isAnimationActive={false} />
          <Line
            yAxisId="loss"
            dataKey="val loss"
            stroke={PALETTE[0]}
            strokeDasharray="5 3"
            dot={false}
            isAnimationActive={false}
          />
          <Line yAxisId="acc" dataKey="train acc" stroke={PALETTE[1]} dot={false} isAnimationActive={false} />
          <Line
            yAxisId="acc"
            dataKey="val acc"
            stroke={PALETTE[1]}
            strokeDasharray="5 3"
            dot={false}
            isAnimationActive={false}
          />
          {modalities.map((m, i) => (
            <Line
              key={m}
              yAxisId="acc"
              dataKey={`val acc ${m} alone`}
              stroke={PALETTE[2 + i]}
              strokeDasharray={DASH[i % DASH.length]}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

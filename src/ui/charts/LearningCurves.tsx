import { useState } from 'react';
import type { EpochRecord } from '../../core/train/snapshot';
import { FUSED_COLOUR, modalityColour } from '../palette';
import { Legend } from '../plot/Legend';
import { percent, Plot, type PlotSeries, type Point } from '../plot/Plot';
import { ChartFigure } from './ChartFigure';
import { phaseRules } from './phaseRules';

/** Exponential moving average, as TensorBoard smooths: 0 leaves the series as it is. */
export function smooth(values: number[], weight: number): number[] {
  let last = values[0];
  return values.map((v) => (last = Number.isFinite(last) ? last * weight + (1 - weight) * v : v));
}

/**
 * Loss and accuracy per epoch, side by side: the fused model on the training (dashed) and
 * validation (solid) splits, and each modality's branch alone on validation, with smoothing.
 */
export function LearningCurves({ history, modalities = [] }: { history: EpochRecord[]; modalities?: string[] }) {
  const [weight, setWeight] = useState(0);
  const epochs = history.map((r) => r.runEpoch);
  const line = (id: string, label: string, colour: string, values: number[], style: 'train' | 'validation') => ({
    kind: 'line' as const,
    id,
    label,
    colour,
    style,
    points: smooth(values, weight).map((v, i): Point => [epochs[i], v]),
  });
  const loss: PlotSeries[] = [
    line(
      'train-loss',
      'fused, training',
      FUSED_COLOUR,
      history.map((r) => r.train.loss),
      'train',
    ),
    line(
      'val-loss',
      'fused, validation',
      FUSED_COLOUR,
      history.map((r) => r.val.loss),
      'validation',
    ),
  ];
  const accuracy: PlotSeries[] = [
    line(
      'train-acc',
      'fused, training',
      FUSED_COLOUR,
      history.map((r) => r.train.accuracy),
      'train',
    ),
    line(
      'val-acc',
      'fused, validation',
      FUSED_COLOUR,
      history.map((r) => r.val.accuracy),
      'validation',
    ),
    ...modalities.map((m, i) =>
      line(
        `val-acc-${m}`,
        `${m} alone, validation`,
        modalityColour(i),
        history.map((r) => r.val.branchAccuracy[i]),
        'validation',
      ),
    ),
  ];
  const rules = phaseRules(history);
  const last = history.at(-1);
  return (
    <ChartFigure
      id="learning-curves"
      title="Loss and accuracy"
      caption="after each epoch. The loss is the fused model's cross-entropy alone, never below 0: CRMT's margin term and step 2's objective, which can make the training objective negative, are not in it."
      summary={last ? `${last.val.loss.toFixed(4)} ${last.val.accuracy.toFixed(4)}` : ''}
      empty={history.length === 0 ? 'Start training to see the curves.' : null}
    >
      <div className="chart-head">
        <Legend
          colours={[
            { label: 'fused model', colour: FUSED_COLOUR },
            ...modalities.map((m, i) => ({ label: `${m} alone`, colour: modalityColour(i) })),
          ]}
          styles={['validation', 'train']}
        />
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
      </div>
      <div className="plot-pair">
        <Plot
          label="Cross-entropy per epoch"
          series={loss}
          x={{ label: 'epoch', integer: true }}
          y={{ label: 'cross-entropy', include: [0] }}
          rules={rules}
        />
        <Plot
          label="Accuracy per epoch"
          series={accuracy}
          x={{ label: 'epoch', integer: true }}
          y={{ label: 'accuracy', domain: [0, 1], format: percent }}
          rules={rules}
        />
      </div>
    </ChartFigure>
  );
}

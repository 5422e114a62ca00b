import { useState } from 'react';
import type { EpochRecord } from '../../core/train/snapshot';
import { FUSED_COLOUR, modalityColour } from '../palette';
import { Legend } from '../plot/Legend';
import { percent, Plot, type PlotSeries, type Point } from '../plot/Plot';
import { ChartFigure } from './ChartFigure';
import { phaseRules } from './phaseRules';
import { MAX_SMOOTHING, smooth } from './smooth';

/**
 * Loss and accuracy per epoch, side by side: the fused model on the training (dashed) and
 * validation (solid) splits, and each modality's branch alone on validation, with smoothing.
 */
export function LearningCurves({ history, modalities = [] }: { history: EpochRecord[]; modalities?: string[] }) {
  const [weight, setWeight] = useState(0);
  const epochs = history.map((r) => r.runEpoch);
  // Smoothed, the raw values stay as faint lines underneath (TensorBoard's view).
  const line = (id: string, label: string, colour: string, values: number[], style: 'train' | 'validation') => {
    const series = (points: number[], faint: boolean): PlotSeries => ({
      kind: 'line',
      id: faint ? `${id}-raw` : id,
      label: faint ? `${label} (raw)` : label,
      colour,
      style,
      faint,
      points: points.map((v, i): Point => [epochs[i], v]),
    });
    return weight > 0 ? [series(values, true), series(smooth(values, weight), false)] : [series(values, false)];
  };
  const loss: PlotSeries[] = [
    ...line(
      'train-loss',
      'fused, training',
      FUSED_COLOUR,
      history.map((r) => r.train.loss),
      'train',
    ),
    ...line(
      'val-loss',
      'fused, validation',
      FUSED_COLOUR,
      history.map((r) => r.val.loss),
      'validation',
    ),
  ];
  const accuracy: PlotSeries[] = [
    ...line(
      'train-acc',
      'fused, training',
      FUSED_COLOUR,
      history.map((r) => r.train.accuracy),
      'train',
    ),
    ...line(
      'val-acc',
      'fused, validation',
      FUSED_COLOUR,
      history.map((r) => r.val.accuracy),
      'validation',
    ),
    ...modalities.flatMap((m, i) =>
      line(
        `val-acc-${m}`,
        `${m} alone, validation`,
        modalityColour(i),
        history.map((r) => r.val.branchAccuracy[i]),
        'validation',
      ),
    ),
  ];
  // Faint lines first, so the smoothed curves are drawn over them.
  const underneath = (s: PlotSeries[]) => [
    ...s.filter((x) => x.kind === 'line' && x.faint),
    ...s.filter((x) => !(x.kind === 'line' && x.faint)),
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
        <label
          className="inline smoothing"
          title="TensorBoard's smoothing: a debiased moving average; the raw values stay as faint lines underneath"
        >
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
      </div>
      <div className="plot-pair">
        <Plot
          label="Cross-entropy per epoch"
          series={underneath(loss)}
          x={{ label: 'epoch', integer: true }}
          y={{ label: 'cross-entropy', include: [0] }}
          rules={rules}
        />
        <Plot
          label="Accuracy per epoch"
          series={underneath(accuracy)}
          x={{ label: 'epoch', integer: true }}
          y={{ label: 'accuracy', domain: [0, 1], format: percent }}
          rules={rules}
        />
      </div>
    </ChartFigure>
  );
}

import { useState } from 'react';
import type { EpochRecord } from '../../core/train/snapshot';
import { FUSED_COLOUR, modalityColour } from '../palette';
import { Legend } from '../plot/Legend';
import { percent, Plot, type PlotSeries, type Point } from '../plot/Plot';
import { ChartFigure } from './ChartFigure';
import { EPS_AXIS_LABEL, EpsScaleToggle, perFeatureDivisor, type EpsScale } from './EpsScale';

const latest = (history: EpochRecord[]) => history.findLast((r) => r.evaluation)?.evaluation;

/** The latest epoch's sound radius histogram. */
export function RadiusHistogram({ history }: { history: EpochRecord[] }) {
  const e = latest(history);
  const c = e?.certified;
  const bars: PlotSeries[] = e
    ? [
        {
          kind: 'bars',
          id: 'radius',
          colour: FUSED_COLOUR,
          bars: e.radiusHistogram.counts.map((y, i) => ({
            x0: e.radiusHistogram.edges[i],
            x1: e.radiusHistogram.edges[i + 1],
            y,
          })),
        },
      ]
    : [];
  return (
    <ChartFigure
      id="chart-radii"
      title="Certified radius (sound)"
      caption={`how far each validation sample can move, jointly over all modalities (ℓ2, standardised units), with its prediction guaranteed not to change; median ${c ? c.sound.medianRadius.toFixed(3) : '—'}. Misclassified samples count at 0.`}
      summary={e ? e.radiusHistogram.counts.join(',') : ''}
      empty={e ? null : 'Train an epoch to see the radii.'}
    >
      <Plot
        label="Histogram of sound certified radii"
        series={bars}
        x={{ label: 'radius' }}
        y={{ label: 'samples', include: [0] }}
        readout={false}
      />
    </ChartFigure>
  );
}

/**
 * The latest epoch's certified accuracy against ε, both bound kinds, joint and per modality. With
 * `dims` (features per modality) the ε axis can also be read per feature.
 */
export function CertifiedCurves({
  history,
  modalities,
  dims,
}: {
  history: EpochRecord[];
  modalities: string[];
  dims?: number[];
}) {
  const [scale, setScale] = useState<EpsScale>('total');
  const perFeature = scale === 'per-feature' && dims !== undefined && dims.length === modalities.length;
  const c = latest(history)?.certified;
  const targets = ['all', ...modalities];
  const curves: PlotSeries[] = c
    ? targets.flatMap((t, i): PlotSeries[] => {
        const colour = i === 0 ? FUSED_COLOUR : modalityColour(i - 1);
        const values = (kind: 'sound' | 'estimated') => (i === 0 ? c[kind].all : c[kind].perModality[i - 1]);
        const over = perFeature ? perFeatureDivisor(dims, i === 0 ? 'all' : i - 1, 'joint') : 1;
        const pts = (v: number[]) => c.eps.map((x, j): Point => [x / over, v[j]]);
        const name = i === 0 ? 'all modalities' : `${t} only`;
        return [
          {
            kind: 'line',
            id: `sound-${t}`,
            label: `${name}, sound`,
            colour,
            style: 'sound',
            points: pts(values('sound')),
          },
          {
            kind: 'line',
            id: `estimated-${t}`,
            label: `${name}, estimated`,
            colour,
            style: 'estimated',
            points: pts(values('estimated')),
          },
        ];
      })
    : [];
  return (
    <ChartFigure
      id="chart-certified"
      title="Certified accuracy against ε"
      caption={`share of validation samples classified correctly with radius above ε, when every modality or only one is attacked. Solid: sound — a guarantee. Dotted: estimated τ (the paper's practice, from ${c?.estimatedOver ?? '—'} training samples) — not a guarantee.`}
      summary={c ? c.sound.all.map((v) => v.toFixed(3)).join(',') : ''}
      empty={c ? null : 'Train an epoch to see the radii.'}
    >
      {dims && <EpsScaleToggle scale={scale} onScale={setScale} testId="certified-eps-scale" />}
      <Legend
        colours={targets.map((t, i) => ({
          label: i === 0 ? 'all modalities attacked' : `only ${t} attacked`,
          colour: i === 0 ? FUSED_COLOUR : modalityColour(i - 1),
        }))}
        styles={['sound', 'estimated']}
      />
      <Plot
        label="Certified accuracy against epsilon"
        series={curves}
        x={{ label: perFeature ? EPS_AXIS_LABEL['per-feature'] : 'ε (joint ℓ2, standardised units)' }}
        y={{ label: 'certified accuracy', domain: [0, 1], format: percent }}
      />
    </ChartFigure>
  );
}

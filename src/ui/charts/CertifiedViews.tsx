import { useState } from 'react';
import { localCoverage } from '../../core/robust/localCertification';
import type { LocalBoundView } from '../../core/robust/localBoundView';
import type { EpochRecord } from '../../core/train/snapshot';
import { FUSED_COLOUR, LOCAL_COLOUR, modalityColour } from '../palette';
import { Legend } from '../plot/Legend';
import { percent, Plot, type PlotSeries, type Point } from '../plot/Plot';
import { ChartFigure } from './ChartFigure';
import { EPS_AXIS_LABEL, EpsScaleToggle, perFeatureDivisor, type EpsScale } from './EpsScale';

const latest = (history: EpochRecord[]) => history.findLast((r) => r.evaluation)?.evaluation;

const binsOf = (edges: number[], counts: number[]) => counts.map((y, i) => ({ x0: edges[i], x1: edges[i + 1], y }));

/**
 * The latest epoch's sound radius histogram; once the local bound was computed, both kinds on the
 * samples it covered, in common bins.
 */
export function RadiusHistogram({ history, local }: { history: EpochRecord[]; local?: LocalBoundView | null }) {
  const e = latest(history);
  const c = e?.certified;
  if (e && local) return <LocalRadiusHistogram view={local} />;
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

function LocalRadiusHistogram({ view }: { view: LocalBoundView }) {
  const h = view.histogram;
  const series: PlotSeries[] = [
    { kind: 'bars', id: 'radius-sound', colour: FUSED_COLOUR, bars: binsOf(h.edges, h.sound) },
    { kind: 'bars', id: 'radius-local', colour: LOCAL_COLOUR, bars: binsOf(h.edges, h.local) },
  ];
  return (
    <ChartFigure
      id="chart-radii"
      title="Certified radius (sound and local)"
      caption={`how far each validation sample can move, jointly over all modalities (ℓ2, standardised units), with its prediction guaranteed not to change, by each guarantee; ${localCoverage(view.local, 'validation', view.setting)}, both kinds on the same ones; median sound ${view.sound.medianRadius.toFixed(3)}, local ${view.local.medianRadius.toFixed(3)}. Misclassified samples count at 0.`}
      summary={`sound:${h.sound.join(',')};local:${h.local.join(',')}`}
      empty={null}
    >
      <Legend
        colours={[
          { label: 'sound (global) — a guarantee', colour: FUSED_COLOUR, swatch: 'band' },
          { label: 'local (CROWN) — a guarantee', colour: LOCAL_COLOUR, swatch: 'band' },
        ]}
      />
      <Plot
        label="Histogram of sound and local certified radii"
        series={series}
        x={{ label: 'radius' }}
        y={{ label: 'samples', include: [0] }}
        readout={false}
      />
    </ChartFigure>
  );
}

/**
 * The latest epoch's certified accuracy against ε, both Lipschitz kinds, joint and per modality;
 * and the local kind where it was computed (on the samples it covered, at the epoch it was asked).
 * With `dims` (features per modality) the ε axis can also be read per feature.
 */
export function CertifiedCurves({
  history,
  modalities,
  dims,
  local,
}: {
  history: EpochRecord[];
  modalities: string[];
  dims?: number[];
  local?: LocalBoundView | null;
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
          ...(local
            ? [
                {
                  kind: 'line' as const,
                  id: `local-${t}`,
                  label: `${name}, local`,
                  colour,
                  style: 'local' as const,
                  points: local.eps.map((x, j): Point => [
                    x / over,
                    (i === 0 ? local.local.all : local.local.perModality[i - 1])[j],
                  ]),
                },
              ]
            : []),
        ];
      })
    : [];
  return (
    <ChartFigure
      id="chart-certified"
      title="Certified accuracy against ε"
      caption={`share of validation samples classified correctly with radius above ε, when every modality or only one is attacked. Solid: sound — a guarantee. Dotted: estimated τ (the paper's practice, from ${c?.estimatedOver ?? '—'} training samples) — not a guarantee.${local ? ` Short dashes: local (CROWN) — a guarantee; ${localCoverage(local.local, 'validation', local.setting)}.` : ''}`}
      summary={c ? c.sound.all.map((v) => v.toFixed(3)).join(',') : ''}
      empty={c ? null : 'Train an epoch to see the radii.'}
    >
      <Legend
        colours={targets.map((t, i) => ({
          label: i === 0 ? 'all modalities attacked' : `only ${t} attacked`,
          colour: i === 0 ? FUSED_COLOUR : modalityColour(i - 1),
        }))}
        styles={local ? ['sound', 'local', 'estimated'] : ['sound', 'estimated']}
      />
      <Plot
        label="Certified accuracy against epsilon"
        series={curves}
        x={{ label: perFeature ? EPS_AXIS_LABEL['per-feature'] : 'ε (joint ℓ2, standardised units)' }}
        y={{ label: 'certified accuracy', domain: [0, 1], format: percent }}
      />
      {/* Under its axis, so the plot keeps its place beside the run controls at 1440×900. */}
      {dims && <EpsScaleToggle scale={scale} onScale={setScale} testId="certified-eps-scale" />}
    </ChartFigure>
  );
}

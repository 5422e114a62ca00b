import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochRecord } from '../../core/train/snapshot';
import { PALETTE } from '../palette';
import { ChartFigure } from './ChartFigure';
import { SeriesChart } from './SeriesChart';

/** The latest epoch's sound radius histogram and certified accuracy against ε, both bound kinds. */
export function CertifiedViews({ history, modalities }: { history: EpochRecord[]; modalities: string[] }) {
  const e = [...history].reverse().find((r) => r.evaluation)?.evaluation;
  const bars = e
    ? e.radiusHistogram.counts.map((count, i) => ({
        radius: ((e.radiusHistogram.edges[i] + e.radiusHistogram.edges[i + 1]) / 2).toFixed(3),
        count,
      }))
    : [];
  const c = e?.certified;
  const curve = c
    ? c.eps.map((eps, i) => {
        const row: Record<string, number> = {
          eps,
          'sound all': c.sound.all[i],
          'estimated all': c.estimated.all[i],
        };
        modalities.forEach((m, j) => {
          row[`sound ${m}`] = c.sound.perModality[j][i];
          row[`estimated ${m}`] = c.estimated.perModality[j][i];
        });
        return row;
      })
    : [];
  const empty = e ? null : 'Train an epoch to see the radii.';
  return (
    <div className="chart-pair">
      <ChartFigure
        id="chart-radii"
        title="Certified radius (sound)"
        caption={`how far each validation sample can move, jointly over all modalities (ℓ2, standardised units), with its prediction guaranteed not to change; median ${c ? c.sound.medianRadius.toFixed(3) : '—'}. Misclassified samples count at 0.`}
        summary={e ? e.radiusHistogram.counts.join(',') : ''}
        empty={empty}
      >
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={bars} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="radius" label={{ value: 'radius', position: 'insideBottom', offset: -10 }} />
            <YAxis allowDecimals={false} label={{ value: 'samples', angle: -90, position: 'insideLeft' }} />
            <Tooltip />
            <Bar dataKey="count" name="samples" fill={PALETTE[0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ChartFigure
        id="chart-certified"
        title="Certified accuracy against ε"
        caption={`share of validation samples classified correctly with radius above ε. Solid: sound — a guarantee. Dashed: estimated τ (the paper's practice, from ${c?.estimatedOver ?? '—'} training samples) — not a guarantee. "all" attacks every modality at once; a modality's name attacks only it.`}
        summary={c ? c.sound.all.map((v) => v.toFixed(3)).join(',') : ''}
        empty={empty}
      >
        <SeriesChart
          rows={curve}
          x="eps"
          numericX
          xLabel="ε"
          yLabel="certified accuracy"
          series={['all', ...modalities].flatMap((t, i) => [
            { key: `sound ${t}`, colour: PALETTE[i] },
            { key: `estimated ${t}`, colour: PALETTE[i], dashed: true },
          ])}
        />
      </ChartFigure>
    </div>
  );
}

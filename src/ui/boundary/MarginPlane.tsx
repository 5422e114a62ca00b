import type { BoundaryView } from '../../core/robust/boundaryView';
import { ChartFigure } from '../charts/ChartFigure';
import { Legend } from '../plot/Legend';
import { Plot, type PlotSeries } from '../plot/Plot';
import { niceTicks } from '../plot/ticks';

/** Shape and colour carry the state together, so it reads without colour too. */
const STATE = {
  certified: { colour: '#1d2430', shape: 'dot', label: 'certified' },
  correct: { colour: '#6b7687', shape: 'ring', label: 'correct, not certified' },
  wrong: { colour: '#b3261e', shape: 'cross', label: 'wrong' },
} as const;

/** The paper's picture: each sample at its modalities' shares of the fused margin, with the line where it is zero. */
export function MarginPlane({ view, modalities }: { view: BoundaryView; modalities: string[] }) {
  const states = ['certified', 'correct', 'wrong'] as const;
  const groups = states.map((state) => ({ state, points: view.marginPlane.filter((p) => p.state === state) }));
  const yName = modalities.length > 2 ? `shares of ${modalities.slice(1).join(' + ')}` : `share of ${modalities[1]}`;
  const extent = Math.max(1, ...view.marginPlane.map((p) => Math.max(Math.abs(p.x), Math.abs(p.y))));
  // The same round, symmetric domain on both axes: 0 in the middle, the zero-margin line at 45°.
  const domain = niceTicks(-extent, extent).domain;
  const series: PlotSeries[] = groups.map((g) => ({
    kind: 'points',
    id: g.state,
    colour: STATE[g.state].colour,
    shape: STATE[g.state].shape,
    points: g.points.map((p) => [p.x, p.y]),
  }));
  return (
    <ChartFigure
      id="chart-margin-plane"
      title="Margin plane"
      caption={`each validation sample at (${modalities[0]}'s share, ${yName}) of its fused margin against the runner-up class, the bias split evenly; on the dashed line the fused margin is zero, and below it the sample is misclassified. Certified: sound radius above ε = ${view.request.eps}.`}
      summary={groups.map((g) => `${g.state}:${g.points.length}`).join(' ')}
      empty={null}
    >
      <Legend
        colours={states.map((s) => ({ label: STATE[s].label, colour: STATE[s].colour, swatch: STATE[s].shape }))}
      />
      <Plot
        label="Margin plane"
        series={series}
        x={{ label: `share of ${modalities[0]}`, domain }}
        y={{ label: yName, domain }}
        height={300}
        readout={false}
        rules={[
          { axis: 'x', at: 0, dash: '1 3' },
          { axis: 'y', at: 0, dash: '1 3' },
        ]}
        segments={[{ from: [domain[0], domain[1]], to: [domain[1], domain[0]] }]}
      />
    </ChartFigure>
  );
}

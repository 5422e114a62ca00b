import {
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  Legend,
} from 'recharts';
import type { BoundaryView } from '../../core/robust/boundaryView';
import { ChartFigure } from '../charts/ChartFigure';

const COLOUR = { wrong: '#D55E00', correct: '#E69F00', certified: '#0072B2' } as const;

/** The paper's picture: each sample at its modalities' shares of the fused margin, with the line where it is zero. */
export function MarginPlane({ view, modalities }: { view: BoundaryView; modalities: string[] }) {
  const groups = (['certified', 'correct', 'wrong'] as const).map((state) => ({
    state,
    points: view.marginPlane.filter((p) => p.state === state),
  }));
  const yName = modalities.length > 2 ? `shares of ${modalities.slice(1).join(' + ')}` : `share of ${modalities[1]}`;
  const extent = Math.max(1, ...view.marginPlane.map((p) => Math.max(Math.abs(p.x), Math.abs(p.y))));
  return (
    <ChartFigure
      id="chart-margin-plane"
      title="Margin plane"
      caption={`each validation sample at (${modalities[0]}'s share, ${yName}) of its fused margin against the runner-up class, the bias split evenly; on the dashed line the fused margin is zero, and below it the sample is misclassified. Blue: certified at ε = ${view.request.eps} (sound); orange: correct but not certified; vermillion: wrong.`}
      summary={groups.map((g) => `${g.state}:${g.points.length}`).join(' ')}
      empty={null}
    >
      <ResponsiveContainer width="100%" height={300}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[-extent, extent]}
            name={`share of ${modalities[0]}`}
            label={{ value: `share of ${modalities[0]}`, position: 'insideBottom', offset: -12 }}
            tickFormatter={(v: number) => v.toFixed(1)}
          />
          <YAxis
            type="number"
            dataKey="y"
            domain={[-extent, extent]}
            name={yName}
            label={{ value: yName, angle: -90, position: 'insideLeft' }}
            tickFormatter={(v: number) => v.toFixed(1)}
          />
          <Tooltip />
          <Legend verticalAlign="top" />
          <ReferenceLine
            segment={[
              { x: -extent, y: extent },
              { x: extent, y: -extent },
            ]}
            stroke="#333"
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
          />
          {groups.map((g) => (
            <Scatter key={g.state} name={g.state} data={g.points} fill={COLOUR[g.state]} isAnimationActive={false} />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

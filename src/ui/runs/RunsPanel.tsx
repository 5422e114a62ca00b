import { ChartFigure } from '../charts/ChartFigure';
import { SeriesChart } from '../charts/SeriesChart';
import { pct } from '../format';
import { PALETTE } from '../palette';
import type { RunRecord } from './runRecord';

interface Props {
  runs: RunRecord[];
  selected: number[];
  onSelect(ids: number[]): void;
}

/** Every finished run; tick two or more to overlay them and compare their final numbers. */
export function RunsPanel({ runs, selected, onSelect }: Props) {
  if (runs.length === 0) return <p className="empty">Finished runs appear here, to overlay and compare.</p>;
  const shown = runs.filter((r) => selected.includes(r.id));
  const toggle = (id: number) => onSelect(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  return (
    <div className="runs">
      <fieldset className="run-list">
        <legend>Runs (tick to overlay)</legend>
        {runs.map((r) => (
          <label key={r.id}>
            <input
              type="checkbox"
              checked={selected.includes(r.id)}
              onChange={() => toggle(r.id)}
              data-testid={`run-${r.id}`}
            />
            {r.label}
          </label>
        ))}
      </fieldset>
      {shown.length > 0 && (
        <>
          <RunTable runs={shown} />
          <RunOverlay runs={shown} />
        </>
      )}
    </div>
  );
}

function last(r: RunRecord) {
  return r.history.at(-1)!;
}

function RunTable({ runs }: { runs: RunRecord[] }) {
  const evalAt = (r: RunRecord, eps: number) => {
    const e = [...r.history].reverse().find((h) => h.evaluation)?.evaluation;
    const i = e ? e.eps.findIndex((x) => Math.abs(x - eps) < 1e-9) : -1;
    return e && i >= 0 ? e.certified.sound.all[i] : undefined;
  };
  return (
    <table className="run-table" data-testid="run-table">
      <caption>Final numbers on the validation split (sound certified accuracy of the joint radius).</caption>
      <thead>
        <tr>
          <th scope="col">run</th>
          <th scope="col">val accuracy</th>
          <th scope="col">branches</th>
          <th scope="col">sound CA ε=0.1</th>
          <th scope="col">sound CA ε=0.25</th>
          <th scope="col">median radius (sound)</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const f = last(r);
          const e = [...r.history].reverse().find((h) => h.evaluation)?.evaluation;
          return (
            <tr key={r.id} data-testid={`run-row-${r.id}`}>
              <th scope="row">{r.label}</th>
              <td>{pct(f.val.accuracy)}</td>
              <td>{r.modalities.map((m, i) => `${m} ${pct(f.val.branchAccuracy[i])}`).join(', ')}</td>
              <td>{pct(evalAt(r, 0.1))}</td>
              <td>{pct(evalAt(r, 0.25))}</td>
              <td>{e ? e.medianRadius.sound.toFixed(3) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RunOverlay({ runs }: { runs: RunRecord[] }) {
  const epochs = Math.max(...runs.map((r) => r.history.length));
  const acc = Array.from({ length: epochs }, (_, i) =>
    Object.fromEntries([['epoch', i + 1], ...runs.map((r) => [r.label, r.history[i]?.val.accuracy])]),
  );
  const curves = runs.map((r) => [...r.history].reverse().find((h) => h.evaluation)?.evaluation ?? null);
  const eps = curves.find(Boolean)?.eps ?? [];
  const lines = runs.map((r, i) => ({ key: r.label, colour: PALETTE[i % PALETTE.length] }));
  const ca = eps.map((x, i) =>
    Object.fromEntries([['eps', x], ...runs.map((r, j) => [r.label, curves[j]?.certified.sound.all[i]])]),
  );
  return (
    <div className="chart-pair">
      <ChartFigure
        id="chart-runs-accuracy"
        title="Validation accuracy, overlaid"
        caption="the fused model's validation accuracy after each epoch of every ticked run."
        summary={runs.map((r) => r.id).join(',')}
        empty={null}
      >
        <SeriesChart rows={acc} x="epoch" xLabel="epoch" yLabel="accuracy" series={lines} />
      </ChartFigure>
      <ChartFigure
        id="chart-runs-certified"
        title="Sound certified accuracy, overlaid"
        caption="for each ticked run at its last epoch: the share of validation samples whose prediction is guaranteed within joint radius ε."
        summary={runs.map((r) => r.id).join(',')}
        empty={eps.length ? null : 'No certified curves in these runs.'}
      >
        <SeriesChart rows={ca} x="eps" numericX xLabel="ε" yLabel="certified accuracy" series={lines} />
      </ChartFigure>
    </div>
  );
}

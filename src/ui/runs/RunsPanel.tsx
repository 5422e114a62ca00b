import { ChartFigure } from '../charts/ChartFigure';
import { SeriesChart } from '../charts/SeriesChart';
import { PALETTE } from '../palette';
import { RunComparisonTable } from './RunComparisonTable';
import { RunRow } from './RunRow';
import { formatBytes, runLabel, type RunSummary, type StoredRunsView } from '../../worker/runs/storedRun';

interface Props {
  stored: StoredRunsView;
  /** The stored run whose curves the page shows now. */
  displayed: number | null;
  selected: number[];
  onSelect(ids: number[]): void;
  onOpen(id: number): void;
  onRename(id: number, name: string): void;
  onDelete(id: number): void;
  onBundle(id: number): void;
}

/** Every stored run, kept across reloads: open, rename, download or delete one; tick two or more to compare. */
export function RunsPanel({ stored, displayed, selected, onSelect, onOpen, onRename, onDelete, onBundle }: Props) {
  const { runs } = stored;
  const shown = runs.filter((r) => selected.includes(r.id) && r.last !== null);
  const toggle = (id: number) => onSelect(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  return (
    <div className="runs">
      <StorageLine stored={stored} />
      {runs.length === 0 ? (
        <p className="empty">Runs are stored here as they train, and survive a reload; tick two or more to compare.</p>
      ) : (
        <ul className="run-list" aria-label="Stored runs (tick to overlay)">
          {runs.map((r) => (
            <RunRow
              key={r.id}
              run={r}
              live={r.id === stored.current}
              displayed={r.id === displayed}
              overlaid={selected.includes(r.id)}
              onOverlay={() => toggle(r.id)}
              onOpen={() => onOpen(r.id)}
              onRename={(name) => onRename(r.id, name)}
              onDelete={() => onDelete(r.id)}
              onBundle={() => onBundle(r.id)}
            />
          ))}
        </ul>
      )}
      {shown.length > 0 && (
        <>
          <RunComparisonTable runs={shown} />
          <RunOverlay runs={shown} />
        </>
      )}
    </div>
  );
}

function StorageLine({ stored }: { stored: StoredRunsView }) {
  const total = stored.runs.reduce((n, r) => n + r.bytes, 0);
  const { usage, quota } = stored.storage;
  return (
    <>
      <p className="storage" data-testid="storage-use" data-bytes={total}>
        {stored.runs.length} stored run{stored.runs.length === 1 ? '' : 's'} · {formatBytes(total)}
        {usage !== null && quota !== null
          ? ` · this site uses ${formatBytes(usage)} of the ${formatBytes(quota)} the browser allows`
          : ''}
      </p>
      {stored.volatile && (
        <p className="message" role="alert" data-testid="storage-volatile">
          {stored.volatile}
        </p>
      )}
      {stored.error && (
        <p className="message" role="alert" data-testid="storage-error">
          {stored.error}
        </p>
      )}
    </>
  );
}

function RunOverlay({ runs }: { runs: RunSummary[] }) {
  const epochs = Math.max(...runs.map((r) => r.epochs));
  const acc = Array.from({ length: epochs }, (_, i) =>
    Object.fromEntries([['epoch', i + 1], ...runs.map((r) => [runLabel(r), r.valAccuracy[i]])]),
  );
  const curves = runs.map((r) => r.evaluation?.certified);
  const eps = curves.find(Boolean)?.eps ?? [];
  const lines = runs.map((r, i) => ({ key: runLabel(r), colour: PALETTE[i % PALETTE.length] }));
  const ca = eps.map((x, i) =>
    Object.fromEntries([['eps', x], ...runs.map((r, j) => [runLabel(r), curves[j]?.sound.all[i]])]),
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

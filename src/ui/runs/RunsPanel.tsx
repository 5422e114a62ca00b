import { ChartFigure } from '../charts/ChartFigure';
import { Legend } from '../plot/Legend';
import { percent, Plot, type PlotSeries, type Point } from '../plot/Plot';
import { runColour } from '../palette';
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
  const colours = runs.map((r, i) => ({ label: runLabel(r), colour: runColour(i) }));
  const accuracy: PlotSeries[] = runs.map((r, i) => ({
    kind: 'line',
    id: `run-${r.id}`,
    label: runLabel(r),
    colour: runColour(i),
    points: r.valAccuracy.map((a, e): Point => [e + 1, a]),
  }));
  const certified: PlotSeries[] = runs.flatMap((r, i): PlotSeries[] => {
    const c = r.evaluation?.certified;
    return c
      ? [
          {
            kind: 'line',
            id: `run-${r.id}`,
            label: runLabel(r),
            colour: runColour(i),
            style: 'sound',
            points: c.eps.map((x, j): Point => [x, c.sound.all[j]]),
          },
        ]
      : [];
  });
  return (
    <div className="chart-pair">
      <ChartFigure
        id="chart-runs-accuracy"
        title="Validation accuracy, overlaid"
        caption="the fused model's validation accuracy after each epoch of every ticked run."
        summary={runs.map((r) => r.id).join(',')}
        empty={null}
      >
        <Legend colours={colours} />
        <Plot
          label="Validation accuracy of the ticked runs"
          series={accuracy}
          x={{ label: 'epoch', integer: true }}
          y={{ label: 'accuracy', domain: [0, 1], format: percent }}
        />
      </ChartFigure>
      <ChartFigure
        id="chart-runs-certified"
        title="Sound certified accuracy, overlaid"
        caption="for each ticked run at its last epoch: the share of validation samples whose prediction is guaranteed within joint radius ε."
        summary={runs.map((r) => r.id).join(',')}
        empty={certified.length ? null : 'No certified curves in these runs.'}
      >
        <Legend colours={colours.filter((_, i) => runs[i].evaluation)} />
        <Plot
          label="Sound certified accuracy of the ticked runs"
          series={certified}
          x={{ label: 'ε (joint ℓ2, standardised units)' }}
          y={{ label: 'certified accuracy', domain: [0, 1], format: percent }}
        />
      </ChartFigure>
    </div>
  );
}

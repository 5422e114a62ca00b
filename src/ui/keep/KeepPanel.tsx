import { zipSync } from 'fflate';
import { useEffect, useRef } from 'react';
import { metricsCsv } from '../../core/io/report';
import type { WorkerCommand } from '../../worker/protocol';
import type { TrainingView } from '../useTrainingWorker';
import { download } from './download';

interface Props {
  view: TrainingView;
  send(cmd: WorkerCommand): void;
}

/** Take the work out of the lab: the trained weights (both formats, one ZIP) and every metric per epoch. */
export function KeepPanel({ view, send }: Props) {
  const done = useRef(0);
  useEffect(() => {
    const e = view.exported;
    if (!e || e.serial === done.current) return;
    done.current = e.serial;
    download(
      `${e.name}.zip`,
      zipSync(Object.fromEntries(Object.entries(e.files).map(([k, v]) => [`${e.name}/${k}`, v]))),
      'application/zip',
    );
  }, [view.exported]);
  const modalities = view.dataset?.modalities.map((m) => m.name) ?? [];
  const base = view.installed
    ? `${view.dataset?.name}-${view.installed.train.method}-seed${view.installed.train.seed}`
    : 'run';
  const ready = view.state !== 'starting' && view.state !== 'failed';
  return (
    <div className="controls keep" role="group" aria-label="Export">
      <button
        onClick={() => send({ type: 'export' })}
        disabled={!ready}
        data-testid="export-model"
        title="config.json, model.safetensors (PyTorch layout), model.json + weights.bin (TensorFlow.js)"
      >
        Download model (ZIP)
      </button>
      <button
        onClick={() => download(`${base}-metrics.csv`, metricsCsv(view.history, modalities), 'text/csv')}
        disabled={view.history.length === 0}
        data-testid="export-csv"
      >
        Metrics CSV
      </button>
      <button
        onClick={() =>
          download(
            `${base}-metrics.json`,
            JSON.stringify({ config: view.installed, modalities, epochs: view.history }, null, 2),
            'application/json',
          )
        }
        disabled={view.history.length === 0}
        data-testid="export-json"
      >
        Metrics JSON
      </button>
    </div>
  );
}

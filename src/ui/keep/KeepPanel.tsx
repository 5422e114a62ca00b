import { unzipSync, zipSync } from 'fflate';
import { useEffect, useRef, useState } from 'react';
import type { ExperimentConfig } from '../../core/config';
import { experimentFromText, experimentToJson } from '../../core/params/experimentJson';
import { metricsCsv } from '../../core/io/report';
import type { WorkerCommand } from '../../worker/protocol';
import type { TrainingView } from '../useTrainingWorker';
import { download } from './download';
import { ModelSnippets } from './ModelSnippets';

interface Props {
  view: TrainingView;
  send(cmd: WorkerCommand): void;
  /** A config loaded from a file. */
  onConfig(c: ExperimentConfig): void;
  /** Downloads the run on display as one ZIP; null while no stored run is on display. */
  onBundle: (() => void) | null;
}

/** The files of an exported model, picked one by one or as the ZIP the page downloads, by bare name. */
async function modelFiles(list: File[]): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const f of list) {
    const bytes = new Uint8Array(await f.arrayBuffer());
    const entries = f.name.toLowerCase().endsWith('.zip') ? unzipSync(bytes) : { [f.name]: bytes };
    for (const [path, b] of Object.entries(entries)) if (!path.endsWith('/')) out[path.split('/').pop()!] = b;
  }
  return out;
}

/** Take the work out of the lab: the trained weights (both formats, one ZIP) and every metric per epoch. */
export function KeepPanel({ view, send, onConfig, onBundle }: Props) {
  const [error, setError] = useState<string | null>(null);
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
        title="config.json, model.safetensors, the lab's weights manifest, a TensorFlow.js Layers model, model.onnx, crmt_lab_model.py (PyTorch) and README.txt"
      >
        Download model (ZIP)
      </button>
      <button
        onClick={() => onBundle?.()}
        disabled={!onBundle}
        data-testid="export-everything"
        title="config, metrics (JSON and CSV), weights in both formats and every chart as PNG, in one ZIP"
      >
        Download everything (ZIP)
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
      <button
        onClick={() =>
          view.installed &&
          download(`${base}-config.json`, JSON.stringify(experimentToJson(view.installed), null, 2), 'application/json')
        }
        disabled={!view.installed}
        data-testid="export-config"
      >
        Config JSON
      </button>
      <label className="file-button">
        Load config
        <input
          type="file"
          accept="application/json,.json"
          data-testid="load-config"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            try {
              onConfig(experimentFromText(await f.text(), f.name));
              setError(null);
            } catch (err) {
              setError((err as Error).message);
            }
            e.target.value = '';
          }}
        />
      </label>
      <label className="file-button">
        Load model
        <input
          type="file"
          multiple
          accept=".zip,.json,.safetensors,.bin"
          data-testid="load-model"
          onChange={async (e) => {
            const list = [...(e.target.files ?? [])];
            e.target.value = '';
            if (list.length) send({ type: 'importModel', files: await modelFiles(list) });
          }}
        />
      </label>
      {view.dataset && <ModelSnippets model={view.dataset} />}
      {view.dataNotice?.kind === 'model-error' && (
        <p className="message" role="alert" data-testid="model-error">
          Model refused: {view.dataNotice.text}. The current model is unchanged.
        </p>
      )}
      {error && (
        <p className="message" role="alert" data-testid="config-error">
          {error}
        </p>
      )}
    </div>
  );
}

import { zipSync } from 'fflate';
import { useState } from 'react';
import type { ExperimentConfig } from '../../core/config';
import { experimentFromText, experimentToJson } from '../../core/params/experimentJson';
import { metricsJson } from '../../core/io/metricsFile';
import { metricsCsv } from '../../core/io/report';
import type { TrainingView } from '../useTrainingWorker';
import type { Call } from '../workerClient';
import { download } from './download';
import { ModelSnippets } from './ModelSnippets';

interface Props {
  view: TrainingView;
  call: Call;
  /** A config loaded from a file. */
  onConfig(c: ExperimentConfig): void;
  /** A model was loaded from files (the fields' pending edits are for the old one). */
  onModelLoaded(): void;
  /** Downloads the run on display as one ZIP; null while no stored run is on display. */
  onBundle: (() => void) | null;
}

/** Downloads the current weights, as the worker exports them, in one ZIP. */
async function exportModel(call: Call): Promise<void> {
  const { name, files } = await call({ type: 'export' });
  download(
    `${name}.zip`,
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`${name}/${k}`, v]))),
    'application/zip',
  );
}

/** The picked files go to the worker as they are: it unzips them, off the main thread. */
async function loadModel(call: Call, list: File[]): Promise<void> {
  const files = await Promise.all(
    list.map(async (f) => ({ path: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  await call({ type: 'importModel', files });
}

/** Take the work out of the lab: the trained weights (both formats, one ZIP) and every metric per epoch. */
export function KeepPanel({ view, call, onConfig, onModelLoaded, onBundle }: Props) {
  const [error, setError] = useState<string | null>(null);
  // A model the worker refused, or an export that failed: for the model loaded now only.
  const [modelError, setModelError] = useState<{ model: number; text: string } | null>(null);
  const settle = (p: Promise<void>, refused: (message: string) => string) =>
    p.then(
      () => setModelError(null),
      (e: Error) => setModelError({ model: view.modelSerial, text: refused(e.message) }),
    );
  const modalities = view.dataset?.modalities.map((m) => m.name) ?? [];
  const base = view.installed
    ? `${view.dataset?.name}-${view.installed.train.method}-seed${view.installed.train.seed}`
    : 'run';
  const ready = view.state !== 'starting' && view.state !== 'failed';
  // Weights worth downloading: trained here, reopened from storage, or loaded from files.
  const trained =
    view.progress !== null || view.history.length > 0 || view.loadedModel !== null || view.opened !== null;
  return (
    <div className="controls keep" role="group" aria-label="Export">
      <button
        onClick={() => settle(exportModel(call), (m) => `The model could not be exported: ${m}`)}
        disabled={!ready || !trained}
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
            metricsJson({ config: view.installed, modalities, history: view.history }),
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
            if (list.length)
              await settle(
                loadModel(call, list).then(onModelLoaded),
                (m) => `Model refused: ${m}. The current model is unchanged.`,
              );
          }}
        />
      </label>
      {view.dataset && <ModelSnippets model={view.dataset} />}
      {modelError?.model === view.modelSerial && (
        <p className="message" role="alert" data-testid="model-error">
          {modelError.text}
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

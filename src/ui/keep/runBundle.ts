import { zipSync } from 'fflate';
import { metricsJson } from '../../core/io/metricsFile';
import { loadingSnippets, type SnippetModel } from '../../core/io/interop/snippets';
import { metricsCsv } from '../../core/io/report';
import { experimentToJson } from '../../core/params/experimentJson';
import type { WeightFiles } from '../../worker/runs/runStore';
import { runLabel, type StoredRun } from '../../worker/runs/storedRun';

/** The class names a run's weights were exported with (config.json), for the integration-weight legend. */
export function classNamesOf(weights: WeightFiles | null): string[] {
  try {
    const config = JSON.parse(new TextDecoder().decode(weights?.['config.json'])) as { classes?: unknown };
    return Array.isArray(config.classes) ? config.classes.map(String) : [];
  } catch {
    return [];
  }
}

/** The modalities (names, shapes) and classes of a run's exported model, from its config.json. */
function snippetModelOf(weights: WeightFiles | null): SnippetModel | null {
  try {
    const c = JSON.parse(new TextDecoder().decode(weights?.['config.json'])) as Partial<SnippetModel>;
    return Array.isArray(c.modalities) && Array.isArray(c.classes)
      ? { modalities: c.modalities, classes: c.classes }
      : null;
  } catch {
    return null;
  }
}

export function bundleName(run: { id: number; name: string }): string {
  return `run-${run.id}-${run.name}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** "Download everything" for one run: config, metrics as JSON and CSV, weights in both formats, charts as PNG. */
export function runBundle(
  run: StoredRun,
  weights: WeightFiles | null,
  charts: Record<string, Uint8Array>,
  /** More text files for the bundle (a loaded model's evaluation). */
  extra: Record<string, string> = {},
): Uint8Array {
  const base = bundleName(run);
  const text = (s: string) => new TextEncoder().encode(s);
  const files: Record<string, Uint8Array> = {
    'experiment.json': text(JSON.stringify(experimentToJson(run.config), null, 2)),
    'metrics.json': text(
      metricsJson({ run: runLabel(run), config: run.config, modalities: run.modalities, history: run.history }),
    ),
    'metrics.csv': text(metricsCsv(run.history, run.modalities)),
  };
  for (const [name, bytes] of Object.entries(weights ?? {})) files[`model/${name}`] = bytes;
  for (const [name, bytes] of Object.entries(charts)) files[`charts/${name}`] = bytes;
  for (const [name, content] of Object.entries(extra)) files[name] = text(content);
  const epochs = run.history.length;
  const model = snippetModelOf(weights);
  const snippets = model ? loadingSnippets(model).flatMap((s) => ['', `== ${s.title} ==`, '', s.code]) : [];
  files['README.txt'] = text(
    [
      `${runLabel(run)}: ${epochs} epoch${epochs === 1 ? '' : 's'}, status ${run.status}.`,
      'experiment.json  the experiment config (load it with "Load config", or paste it into the URL)',
      'metrics.json, metrics.csv  every metric per epoch',
      weights
        ? `model/  the model${run.weightsEpoch === null ? '' : ` after epoch ${run.weightsEpoch}`}: config.json, model.safetensors (PyTorch layout), lab-weights.json + .bin (the lab's), model.json + model.weights.bin (TensorFlow.js Layers model), model.onnx, crmt_lab_model.py (PyTorch); model/README.txt says what each is`
        : 'model/  (no weights were stored for this run)',
      ...Object.keys(extra).map(
        (name) =>
          `${name}  ${name === 'evaluation.json' ? 'the loaded model evaluated as it stands, on the data on display' : ''}`,
      ),
      "charts/  the run's charts as PNG (for the run on display, every chart the page showed)",
      ...(snippets.length
        ? ['', 'Loading the model (raw values in, one row per sample; each format standardises inside):', ...snippets]
        : []),
    ].join('\n') + '\n',
  );
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`${base}/${k}`, v])));
}

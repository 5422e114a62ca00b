import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../config';
import { DataError } from '../data/dataError';
import { experimentToJson } from '../params/experimentJson';
import type { ModalitySpec } from '../data/dataset';
import type { Standardisation } from '../data/standardise';
import { createModel, type MultiModalModel } from '../model/model';
import { MODEL_FORMAT, MODEL_VERSION, readModelConfig, type ExportedConfig } from './modelConfig';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors';
import { LAB_VERSION } from '../version';

export { MODEL_FORMAT, MODEL_VERSION, type ExportedConfig } from './modelConfig';
/** The lab's own weights manifest (TensorFlow.js weights format, the lab's layouts). */
export const LAB_WEIGHTS = { manifest: 'lab-weights.json', bin: 'lab-weights.bin' } as const;
/** Where exports before the Layers model kept that manifest; still read. */
const LEGACY_WEIGHTS = { manifest: 'model.json', bin: 'weights.bin' } as const;
/** Every file an export writes, and the legacy ones import still reads. */
export const MODEL_FILES = [
  'config.json',
  'model.safetensors',
  LAB_WEIGHTS.manifest,
  LAB_WEIGHTS.bin,
  'model.json',
  'model.weights.bin',
  'model.onnx',
  'crmt_lab_model.py',
  'README.txt',
  LEGACY_WEIGHTS.bin,
];

export interface ExportMeta {
  dataset: string;
  modalities: ModalitySpec[];
  classes: string[];
  experiment: ExperimentConfig;
  standardisation: Standardisation;
}

/**
 * PyTorch keeps nn.Linear weights as [out, in] and Conv2d kernels as [out, in, kh, kw]; the lab
 * keeps [in, out] and [kh, kw, in, out]. The safetensors file uses PyTorch's layout.
 */
function torchPermutation(name: string, rank: number): number[] | null {
  if (rank === 4) return [3, 2, 0, 1];
  if (rank === 2 && (name.endsWith('.weight') || /^head\.w\d+$/.test(name))) return [1, 0];
  return null;
}

async function paramTensors(model: MultiModalModel, torch: boolean): Promise<NamedTensor[]> {
  const out: NamedTensor[] = [];
  for (const [name, v] of model.params) {
    const perm = torch ? torchPermutation(name, v.rank) : null;
    const t = perm ? tf.transpose(v, perm) : v;
    out.push({ name, shape: t.shape, data: (await t.data()) as Float32Array });
    if (t !== v) t.dispose();
  }
  return out;
}

/**
 * The export: config.json; model.safetensors (PyTorch layout); the lab's own weights manifest
 * (lab-weights.json + lab-weights.bin, the lab's layouts); and the model for other tools: a
 * TensorFlow.js Layers model (model.json + model.weights.bin), model.onnx, crmt_lab_model.py
 * (PyTorch) and README.txt with the snippets that load each.
 */
export async function exportModel(model: MultiModalModel, meta: ExportMeta): Promise<Record<string, Uint8Array>> {
  const lab = await paramTensors(model, false);
  const torch = await paramTensors(model, true);
  const config: ExportedConfig = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    dataset: meta.dataset,
    modalities: meta.modalities,
    classes: meta.classes,
    method: meta.experiment.train.method,
    model: model.spec,
    experiment: experimentToJson(meta.experiment),
    standardisation: {
      mean: meta.standardisation.mean.map((m) => Array.from(m)),
      std: meta.standardisation.std.map((s) => Array.from(s)),
    },
    parameters: lab.map((t, i) => ({ name: t.name, shape: t.shape, torchShape: torch[i].shape, dtype: 'float32' })),
  };
  const bin = new Uint8Array(lab.reduce((s, t) => s + t.data.byteLength, 0));
  let at = 0;
  for (const t of lab) {
    bin.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  const manifest = {
    format: 'weights-manifest',
    generatedBy: MODEL_FORMAT,
    weightsManifest: [
      {
        paths: [LAB_WEIGHTS.bin],
        weights: lab.map((t) => ({ name: t.name, shape: t.shape, dtype: 'float32' })),
      },
    ],
  };
  const text = (o: unknown) => new TextEncoder().encode(JSON.stringify(o, null, 2) + '\n');
  // The writers for other tools load with the first export, not with the worker.
  const { interopFiles } = await import('./interop/interopFiles');
  const forOtherTools = await interopFiles(
    model,
    new Map(lab.map((t) => [t.name, t])),
    { ...meta, method: config.method },
    LAB_VERSION,
  );
  return {
    'config.json': text(config),
    'model.safetensors': encodeSafetensors(torch, { format: MODEL_FORMAT, method: config.method }),
    [LAB_WEIGHTS.manifest]: text(manifest),
    [LAB_WEIGHTS.bin]: bin,
    ...forOtherTools,
  };
}

export interface ImportedModel {
  model: MultiModalModel;
  config: ExportedConfig;
  /** The experiment that trained it, checked through the parameter table like a loaded config. */
  experiment: ExperimentConfig;
}

/**
 * Rebuilds an exported model from config.json plus either model.safetensors or the lab's weights
 * manifest (lab-weights.json + lab-weights.bin, or model.json + weights.bin as exports before the
 * Layers model named it). Names, shapes and dtypes are checked against the config; nothing in the files is
 * ever evaluated as code.
 */
export function importModel(files: Record<string, Uint8Array>): ImportedModel {
  const configBytes = files['config.json'];
  if (!configBytes) throw new DataError('config.json is missing: it says how to rebuild the model');
  const { config, experiment } = readModelConfig(configBytes);
  const weights = files['model.safetensors']
    ? fromSafetensors(files['model.safetensors'], config)
    : fromTfjs(files, config);
  const model = createModel(config.model);
  try {
    for (const p of config.parameters) {
      const v = model.params.get(p.name);
      if (!v) throw new DataError(`config.json names a parameter ${p.name} that this model does not have`);
      if (v.shape.join() !== p.shape.join())
        throw new DataError(
          `${p.name}: the config says shape [${p.shape.join(', ')}] but the model has [${v.shape.join(', ')}]`,
        );
      const w = weights.get(p.name)!;
      tf.tidy(() => v.assign(tf.tensor(w.data, w.shape, 'float32')));
    }
    const missing = [...model.params.keys()].filter((k) => !config.parameters.some((p) => p.name === k));
    if (missing.length) throw new DataError(`config.json lists no value for ${missing.join(', ')}`);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, config, experiment };
}

function fromSafetensors(bytes: Uint8Array, config: ExportedConfig): Map<string, NamedTensor> {
  const { tensors } = decodeSafetensors('model.safetensors', bytes);
  const out = new Map<string, NamedTensor>();
  for (const p of config.parameters) {
    const t = tensors.get(p.name);
    if (!t) throw new DataError(`model.safetensors has no tensor ${p.name}`);
    if (t.shape.join() !== p.torchShape.join())
      throw new DataError(
        `model.safetensors: ${p.name} has shape [${t.shape.join(', ')}] but config.json says [${p.torchShape.join(', ')}]`,
      );
    const perm = torchPermutation(p.name, p.shape.length);
    const torchShape = perm ? perm.map((i) => p.shape[i]) : p.shape;
    if (torchShape.join() !== t.shape.join())
      throw new DataError(
        `model.safetensors: ${p.name} has shape [${t.shape.join(', ')}], which is not its lab shape ` +
          `[${p.shape.join(', ')}] in PyTorch's layout [${torchShape.join(', ')}]`,
      );
    // Back from PyTorch's layout to the lab's: invert the permutation.
    const inverse = perm ? perm.map((_, i) => perm.indexOf(i)) : null;
    const data = inverse
      ? tf.tidy(() => tf.transpose(tf.tensor(t.data, t.shape), inverse).dataSync() as Float32Array)
      : t.data;
    out.set(p.name, { name: p.name, shape: p.shape, data });
  }
  return out;
}

/** The lab's weights manifest among the files: under its name, or the legacy one. */
function labManifest(files: Record<string, Uint8Array>): { manifest: string; bin: string } {
  if (files[LAB_WEIGHTS.manifest] && files[LAB_WEIGHTS.bin]) return LAB_WEIGHTS;
  if (files[LEGACY_WEIGHTS.manifest] && files[LEGACY_WEIGHTS.bin]) return LEGACY_WEIGHTS;
  throw new DataError(
    `No weights: give model.safetensors, or ${LAB_WEIGHTS.manifest} with ${LAB_WEIGHTS.bin}, next to config.json` +
      (files['model.json'] ? ' (model.json is the TensorFlow.js Layers model, for use outside the lab)' : ''),
  );
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
}

/** The weights a manifest lists, in order, each field checked before any byte is read. */
function manifestWeights(file: string, bytes: Uint8Array): ManifestWeight[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new DataError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const groups = (manifest as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(groups)) throw new DataError(`${file}: weightsManifest is not a list of weight groups`);
  const seen = new Set<string>();
  return groups.flatMap((g: unknown, gi: number) => {
    const weights = (g as { weights?: unknown } | null)?.weights;
    if (!Array.isArray(weights)) throw new DataError(`${file}: weightsManifest[${gi}].weights is not a list`);
    return weights.map((w: unknown, wi: number): ManifestWeight => {
      const where = `${file}: weightsManifest[${gi}].weights[${wi}]`;
      const { name, shape, dtype } = (w ?? {}) as Partial<ManifestWeight>;
      if (typeof name !== 'string') throw new DataError(`${where}.name is not a string`);
      if (seen.has(name)) throw new DataError(`${where}: ${name} is listed twice`);
      seen.add(name);
      if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0 || d > 2 ** 31))
        throw new DataError(`${where}: the shape of ${name} is not a list of whole numbers`);
      if (dtype !== 'float32')
        throw new DataError(`${file}: ${name} has dtype ${String(dtype)}; the lab reads float32 only`);
      return { name, shape, dtype };
    });
  });
}

function fromTfjs(files: Record<string, Uint8Array>, config: ExportedConfig): Map<string, NamedTensor> {
  const names = labManifest(files);
  const specs = manifestWeights(names.manifest, files[names.manifest]);
  const bin = files[names.bin];
  const out = new Map<string, NamedTensor>();
  let at = 0;
  for (const s of specs) {
    const bytes = s.shape.reduce((a, b) => a * b, 1) * 4;
    if (at + bytes > bin.length) throw new DataError(`${names.bin} is truncated: ${s.name} runs past its end`);
    const data = new Float32Array(bin.slice(at, at + bytes).buffer);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new DataError(`${names.bin}: ${s.name} holds ${data[bad]} at index ${bad}; weights must be finite`);
    out.set(s.name, { name: s.name, shape: s.shape, data });
    at += bytes;
  }
  if (at !== bin.length)
    throw new DataError(`${names.bin} has ${bin.length - at} bytes after the last weight ${names.manifest} lists`);
  for (const p of config.parameters) {
    const t = out.get(p.name);
    if (!t) throw new DataError(`${names.manifest} has no weight ${p.name}`);
    if (t.shape.join() !== p.shape.join())
      throw new DataError(
        `${names.manifest}: ${p.name} has shape [${t.shape.join(', ')}] but config.json says [${p.shape.join(', ')}]`,
      );
  }
  return out;
}

/** Why an exported model cannot run on this data (other modalities, shapes or classes), or null. */
export function modelDataMismatch(
  config: ExportedConfig,
  data: { modalities: ModalitySpec[]; classNames: string[] },
): string | null {
  const describe = (ms: ModalitySpec[]) => ms.map((m) => `${m.name} [${m.shape.join('×')}]`).join(', ');
  if (describe(config.modalities) !== describe(data.modalities))
    return `the model was trained on ${describe(config.modalities)} but the data has ${describe(data.modalities)}`;
  if (config.classes.join() !== data.classNames.join())
    return `the model's classes are ${config.classes.join(', ')} but the data's are ${data.classNames.join(', ')}`;
  return null;
}

/** The standardisation an exported model was trained with, as the data layer holds it. */
export function standardisationOf(config: ExportedConfig): Standardisation {
  return {
    mean: config.standardisation.mean.map((m) => Float32Array.from(m)),
    std: config.standardisation.std.map((s) => Float32Array.from(s)),
  };
}

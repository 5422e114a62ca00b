import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../config';
import { DataError } from '../data/dataError';
import { experimentFromJson, experimentToJson, type ExperimentJson } from '../params/experimentJson';
import type { ModalitySpec } from '../data/dataset';
import type { Standardisation } from '../data/standardise';
import { createModel, type ModelSpec, type MultiModalModel } from '../model/model';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors';

export const MODEL_FORMAT = 'crmt-lab-model';
export const MODEL_VERSION = 2;
/** Version 1 named itself 'crmt-lab-model/1' and kept only the training settings, as `train`. */
const MODEL_FORMAT_V1 = 'crmt-lab-model/1';

/** Everything needed to rebuild the model and feed it: config.json, next to the weights. */
export interface ExportedConfig {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  dataset: string;
  modalities: ModalitySpec[];
  classes: string[];
  /** The method (also in the experiment), for readers that need only this. */
  method: string;
  /** The built model: encoders and head as they are, whatever the settings were. */
  model: ModelSpec;
  /** The experiment that trained it, as the page's Config JSON writes it. */
  experiment: ExperimentJson;
  /** Per modality and feature: inputs are (x − mean) / std before they reach the model. */
  standardisation: { mean: number[][]; std: number[][] };
  /** Every parameter: its lab (TensorFlow.js) shape and its PyTorch shape in model.safetensors. */
  parameters: { name: string; shape: number[]; torchShape: number[]; dtype: 'float32' }[];
}

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
 * The four export files: config.json; model.safetensors (PyTorch layout); and the TensorFlow.js
 * weights format, model.json (a weights manifest naming every weight with shape and dtype) with
 * weights.bin.
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
      { paths: ['weights.bin'], weights: lab.map((t) => ({ name: t.name, shape: t.shape, dtype: 'float32' })) },
    ],
  };
  const text = (o: unknown) => new TextEncoder().encode(JSON.stringify(o, null, 2) + '\n');
  return {
    'config.json': text(config),
    'model.safetensors': encodeSafetensors(torch, { format: MODEL_FORMAT, method: config.method }),
    'model.json': text(manifest),
    'weights.bin': bin,
  };
}

export interface ImportedModel {
  model: MultiModalModel;
  config: ExportedConfig;
  /** The experiment that trained it, checked through the parameter table like a loaded config. */
  experiment: ExperimentConfig;
}

/**
 * Rebuilds an exported model from config.json plus either model.safetensors or model.json with
 * weights.bin. Names, shapes and dtypes are checked against the config; nothing in the files is
 * ever evaluated as code.
 */
export function importModel(files: Record<string, Uint8Array>): ImportedModel {
  const configBytes = files['config.json'];
  if (!configBytes) throw new DataError('config.json is missing: it says how to rebuild the model');
  let config: ExportedConfig;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (e) {
    throw new DataError(`config.json is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof config !== 'object' || config === null) throw new DataError('config.json is not a CRMT Lab model');
  const legacy = (config.format as string) === MODEL_FORMAT_V1;
  if (config.format !== MODEL_FORMAT && !legacy)
    throw new DataError(
      `config.json is not a CRMT Lab model (format "${String(config.format)}", expected "${MODEL_FORMAT}")`,
    );
  if (!legacy && config.version !== MODEL_VERSION)
    throw new DataError(
      `config.json: model version ${String(config.version)} is not one this lab reads (${MODEL_VERSION})`,
    );
  const experiment = experimentFromJson(
    legacy ? { train: (config as unknown as { train: unknown }).train } : config.experiment,
    'config.json (its experiment)',
  );
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
    const perm = torchPermutation(p.name, t.shape.length);
    // Back from PyTorch's layout to the lab's: invert the permutation.
    const inverse = perm ? perm.map((_, i) => perm.indexOf(i)) : null;
    const data = inverse
      ? tf.tidy(() => tf.transpose(tf.tensor(t.data, t.shape), inverse).dataSync() as Float32Array)
      : t.data;
    out.set(p.name, { name: p.name, shape: p.shape, data });
  }
  return out;
}

function fromTfjs(files: Record<string, Uint8Array>, config: ExportedConfig): Map<string, NamedTensor> {
  if (!files['model.json'] || !files['weights.bin'])
    throw new DataError('No weights: give model.safetensors, or model.json with weights.bin, next to config.json');
  let manifest: {
    weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  };
  try {
    manifest = JSON.parse(new TextDecoder().decode(files['model.json']));
  } catch (e) {
    throw new DataError(`model.json is not valid JSON: ${(e as Error).message}`);
  }
  const specs = manifest.weightsManifest?.flatMap((g) => g.weights) ?? [];
  const bin = files['weights.bin'];
  const out = new Map<string, NamedTensor>();
  let at = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32')
      throw new DataError(`model.json: ${s.name} has dtype ${s.dtype}; the lab reads float32 only`);
    const bytes = s.shape.reduce((a, b) => a * b, 1) * 4;
    if (at + bytes > bin.length) throw new DataError(`weights.bin is truncated: ${s.name} runs past its end`);
    out.set(s.name, { name: s.name, shape: s.shape, data: new Float32Array(bin.slice(at, at + bytes).buffer) });
    at += bytes;
  }
  for (const p of config.parameters) {
    const t = out.get(p.name);
    if (!t) throw new DataError(`model.json has no weight ${p.name}`);
    if (t.shape.join() !== p.shape.join())
      throw new DataError(
        `model.json: ${p.name} has shape [${t.shape.join(', ')}] but config.json says [${p.shape.join(', ')}]`,
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

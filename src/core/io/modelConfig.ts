import type { ExperimentConfig } from '../config';
import { DataError } from '../data/dataError';
import type { ModalitySpec } from '../data/dataset';
import { LIMITS } from '../data/limits';
import { assertCrmtDims } from '../model/crmtHead';
import type { EncoderSpec, HeadSpec, ModelSpec } from '../model/model';
import { checkModelSize, parameterShapes } from '../model/modelSize';
import { parseJson } from '../params/paramCodec';
import { experimentFromJson, type ExperimentJson } from '../params/experimentJson';
import { paramAt } from '../params/paramTable';
import type { ConfigPath } from '../params/paramTypes';
import { METHODS, isMethodId } from '../train/methods';

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

const FILE = 'config.json';
const MAX_CLASSES = LIMITS.samples;

/** A refusal naming the field: `config.json: model.encoders[1].widths: …`. */
const refuse = (path: string, problem: string) => new DataError(`${FILE}: ${path}: ${problem}`);
const shown = (v: unknown) => {
  const s = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) throw refuse(path, `${shown(v)} is not an object`);
  return v;
}

function array(v: unknown, path: string, min = 0, max = Infinity): unknown[] {
  if (!Array.isArray(v)) throw refuse(path, `${shown(v)} is not a list`);
  if (v.length < min) throw refuse(path, `has ${v.length} entries; at least ${min} are needed`);
  if (v.length > max) throw refuse(path, `has ${v.length} entries; at most ${max}`);
  return v;
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') throw refuse(path, `${shown(v)} is not a string`);
  return v;
}

function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw refuse(path, `${shown(v)} is not a whole number`);
  if (v < min || v > max) throw refuse(path, `${v} is outside ${min}…${max}`);
  return v;
}

function shape(v: unknown, path: string, maxValues: number): number[] {
  const dims = array(v, path, 1, 4).map((d, i) => integer(d, `${path}[${i}]`, 1, maxValues));
  const size = dims.reduce((a, b) => a * b, 1);
  if (size > maxValues) throw refuse(path, `[${dims.join(', ')}] holds ${size} values, over the limit of ${maxValues}`);
  return dims;
}

/** A setting of the spec read through the parameter table, as the settings panel and Load config read it. */
function setting<T>(path: ConfigPath, v: unknown, where: string): T {
  const r = parseJson(paramAt(path), v);
  if (!r.ok) throw refuse(where, r.error);
  return r.value as T;
}

function encoder(v: unknown, path: string, input: number[]): EncoderSpec {
  const e = object(v, path);
  if (e.kind !== 'mlp' && e.kind !== 'cnn')
    throw refuse(`${path}.kind`, `${shown(e.kind)} is not an encoder this lab builds (mlp, cnn)`);
  const activation = setting<EncoderSpec['activation']>('model.activation', e.activation, `${path}.activation`);
  if (e.kind === 'mlp') return { kind: 'mlp', widths: setting('model.hidden', e.widths, `${path}.widths`), activation };
  const filters = setting<number[]>('model.cnn.filters', e.filters, `${path}.filters`);
  const outDim = setting<number>('model.cnn.outDim', e.outDim, `${path}.outDim`);
  if (input.length < 2 || input.length > 3)
    throw refuse(path, `a CNN needs an image shape [H, W] or [H, W, C], not [${input.join(', ')}]`);
  if (Math.min(input[0], input[1]) < 2 ** filters.length)
    throw refuse(path, `a ${input[0]}×${input[1]} image is too small for ${filters.length} poolings`);
  return { kind: 'cnn', filters, outDim, activation };
}

function head(v: unknown, path: string, method: string): HeadSpec {
  const h = object(v, path);
  const expected = isMethodId(method) ? METHODS[method] : null;
  if (h.kind !== 'joint' && h.kind !== 'crmt')
    throw refuse(`${path}.kind`, `${shown(h.kind)} is not a head this lab builds (joint, crmt)`);
  if (expected && h.kind !== expected.head)
    throw refuse(`${path}.kind`, `the method ${method} trains a ${expected.head} head, not ${h.kind}`);
  if (h.kind === 'crmt') {
    const rows = h.rows ?? 'orthonormal';
    if (rows !== 'orthonormal' && rows !== 'unit')
      throw refuse(`${path}.rows`, `${shown(rows)} is not one of orthonormal, unit`);
    return { kind: 'crmt', rows };
  }
  const perModalityBias = h.perModalityBias ?? false;
  if (typeof perModalityBias !== 'boolean')
    throw refuse(`${path}.perModalityBias`, `${shown(perModalityBias)} is not true or false`);
  if (expected && perModalityBias !== (expected.structure === 'ume'))
    throw refuse(
      `${path}.perModalityBias`,
      `the method ${method} ${perModalityBias ? 'has no' : 'needs'} per-modality biases`,
    );
  return { kind: 'joint', perModalityBias };
}

/** The model spec, every field checked and the parameter count bounded, before anything is built. */
function modelSpec(v: unknown, modalities: ModalitySpec[], classes: number, method: string): ModelSpec {
  const o = object(v, 'model');
  const inputShapes = array(o.inputShapes, 'model.inputShapes', modalities.length, modalities.length).map((s, m) => {
    const dims = shape(s, `model.inputShapes[${m}]`, LIMITS.featuresPerModality);
    if (dims.join() !== modalities[m].shape.join())
      throw refuse(`model.inputShapes[${m}]`, `[${dims.join(', ')}] is not the shape of ${modalities[m].name}`);
    return dims;
  });
  const K = integer(o.classes, 'model.classes', classes, classes);
  const encoders = array(o.encoders, 'model.encoders', inputShapes.length, inputShapes.length).map((e, m) =>
    encoder(e, `model.encoders[${m}]`, inputShapes[m]),
  );
  const spec: ModelSpec = {
    inputShapes,
    classes: K,
    encoders,
    head: head(o.head, 'model.head', method),
    seed: integer(o.seed, 'model.seed', -(2 ** 53), 2 ** 53),
  };
  try {
    if (spec.head.kind === 'crmt')
      assertCrmtDims(
        encoders.map((e) => (e.kind === 'mlp' ? e.widths.at(-1)! : e.outDim)),
        K,
      );
    checkModelSize(spec);
  } catch (e) {
    throw refuse('model', (e as Error).message);
  }
  return spec;
}

function standardisation(v: unknown, modalities: ModalitySpec[]): ExportedConfig['standardisation'] {
  const o = object(v, 'standardisation');
  const read = (key: 'mean' | 'std') =>
    array(o[key], `standardisation.${key}`, modalities.length, modalities.length).map((row, m) => {
      const size = modalities[m].shape.reduce((a, b) => a * b, 1);
      const path = `standardisation.${key}[${m}]`;
      const values = array(row, path, size, size);
      values.forEach((x, j) => {
        if (typeof x !== 'number' || !Number.isFinite(x))
          throw refuse(`${path}[${j}]`, `${shown(x)} is not a finite number`);
        if (key === 'std' && !(x > 0)) throw refuse(`${path}[${j}]`, `${x} is not positive (inputs are divided by it)`);
      });
      return values as number[];
    });
  return { mean: read('mean'), std: read('std') };
}

function parameters(v: unknown, spec: ModelSpec): ExportedConfig['parameters'] {
  const expected = new Map(parameterShapes(spec).map((p) => [p.name, p.shape]));
  const seen = new Set<string>();
  const list = array(v, 'parameters', expected.size, expected.size).map((entry, i) => {
    const p = object(entry, `parameters[${i}]`);
    const name = string(p.name, `parameters[${i}].name`);
    const want = expected.get(name);
    if (!want) throw refuse(`parameters[${i}].name`, `the model has no parameter ${name}`);
    if (seen.has(name)) throw refuse(`parameters[${i}].name`, `${name} is listed twice`);
    seen.add(name);
    const dims = array(p.shape, `parameters[${i}].shape`).map((d, j) =>
      integer(d, `parameters[${i}].shape[${j}]`, 0, 2 ** 31),
    );
    if (dims.join() !== want.join())
      throw refuse(`parameters[${i}].shape`, `${name} is [${want.join(', ')}] in this model, not [${dims.join(', ')}]`);
    const torch = array(p.torchShape, `parameters[${i}].torchShape`).map((d, j) =>
      integer(d, `parameters[${i}].torchShape[${j}]`, 0, 2 ** 31),
    );
    if (p.dtype !== 'float32') throw refuse(`parameters[${i}].dtype`, `${shown(p.dtype)}: the lab reads float32 only`);
    return { name, shape: dims, torchShape: torch, dtype: 'float32' as const };
  });
  return list;
}

/**
 * config.json of an exported model, trusting nothing: format and version, the experiment through
 * the parameter table, the modalities and classes, the model spec (its settings through the same
 * table, its parameter count under MAX_MODEL_PARAMETERS), the standardisation (finite means,
 * positive finite deviations) and the parameter list against the spec. Every refusal is a
 * DataError naming the field; nothing is allocated for the model until all of it holds.
 */
export function readModelConfig(bytes: Uint8Array): { config: ExportedConfig; experiment: ExperimentConfig } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new DataError(`${FILE} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new DataError(`${FILE} is not a CRMT Lab model`);
  const legacy = json.format === MODEL_FORMAT_V1;
  if (json.format !== MODEL_FORMAT && !legacy)
    throw new DataError(
      `${FILE} is not a CRMT Lab model (format "${String(json.format)}", expected "${MODEL_FORMAT}")`,
    );
  if (!legacy && json.version !== MODEL_VERSION)
    throw new DataError(`${FILE}: model version ${String(json.version)} is not one this lab reads (${MODEL_VERSION})`);
  const experiment = experimentFromJson(legacy ? { train: json.train } : json.experiment, `${FILE} (its experiment)`);
  const method = string(json.method, 'method');
  if (method !== experiment.train.method)
    throw refuse('method', `"${method}" is not the experiment's method "${experiment.train.method}"`);
  const modalities = array(json.modalities, 'modalities', 2, 64).map((m, i) => {
    const o = object(m, `modalities[${i}]`);
    const spec: ModalitySpec = {
      name: string(o.name, `modalities[${i}].name`),
      shape: shape(o.shape, `modalities[${i}].shape`, LIMITS.featuresPerModality),
    };
    if (o.kind !== undefined) {
      if (o.kind !== 'vector' && o.kind !== 'image' && o.kind !== 'spectrogram')
        throw refuse(`modalities[${i}].kind`, `${shown(o.kind)} is not one of vector, image, spectrogram`);
      spec.kind = o.kind;
    }
    return spec;
  });
  const classes = array(json.classes, 'classes', 2, MAX_CLASSES).map((c, i) => string(c, `classes[${i}]`));
  if (new Set(classes).size !== classes.length) throw refuse('classes', 'a class is named twice');
  const model = modelSpec(json.model, modalities, classes.length, method);
  const config: ExportedConfig = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    dataset: string(json.dataset, 'dataset'),
    modalities,
    classes,
    method,
    model,
    experiment: json.experiment as ExperimentJson,
    standardisation: standardisation(json.standardisation, modalities),
    parameters: parameters(json.parameters, model),
  };
  return { config, experiment };
}

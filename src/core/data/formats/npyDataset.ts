import { createRng } from '../../random';
import type { Dataset, ModalitySpec } from '../dataset';
import { npyFeatures, parseNpy, type NpyArray } from './npy';
import { DataError } from '../dataError';
import { MIN_PER_CLASS, stratifiedSplit } from '../splits';
import { checkFeatureSize, checkSampleCount, ValueBudget } from '../limits';

/**
 * The NumPy upload (see DESIGN.md, "Formats"): one `.npy` per modality, first axis the samples,
 * plus `labels.npy` with one integer class per sample. Framework-free like the CSV parser, so
 * the browser and the CLI share it.
 */

export interface BinaryFile {
  /** Bare file name, e.g. `view1.npy`. */
  name: string;
  bytes: Uint8Array;
}

export const LABELS_NPY = 'labels.npy';

const VAL_FRACTION = 0.15;
const TEST_FRACTION = 0.2;

export function parseNpyDataset(files: BinaryFile[], options: { name: string; seed?: number }): Dataset {
  const byName = new Map<string, BinaryFile>();
  for (const f of files) {
    if (byName.has(f.name)) throw new DataError(`There are two files named ${f.name}`);
    byName.set(f.name, f);
  }
  // Other files (a README, a notebook) may travel in the same ZIP; only .npy files count.
  const modalityFiles = files
    .filter((f) => f.name.toLowerCase().endsWith('.npy') && f.name !== LABELS_NPY)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Robustness across modalities is the point of the lab, so one modality is refused up front.
  if (modalityFiles.length < 2)
    throw new DataError('NumPy upload needs at least two modality files besides labels.npy');

  const labelsFile = byName.get(LABELS_NPY);
  if (!labelsFile) throw new DataError('labels.npy is missing: it needs one integer class label per sample');
  // Labels first: a row-count mismatch is then reported before any large feature file is converted.
  const { classNames, labels } = readLabels(
    parseNpy(LABELS_NPY, labelsFile.bytes, (shape) => checkSampleCount(LABELS_NPY, shape[0] ?? 1)),
  );
  const n = labels.length;

  const modalities: ModalitySpec[] = [];
  const features: Float32Array[] = [];
  const budget = new ValueBudget();
  for (const file of modalityFiles) {
    const array = parseNpy(file.name, file.bytes, (shape) => {
      if (shape.length >= 2 && shape[0] !== n)
        throw new DataError(`${file.name} has ${shape[0]} samples but labels.npy has ${n}`);
      const perSample = shape.slice(1).reduce((a, b) => a * b, 1);
      checkFeatureSize(file.name.slice(0, -'.npy'.length), perSample);
      budget.take(file.name, perSample * n);
    });
    const shape = sampleShape(file.name, array);
    if (array.shape[0] !== n) {
      throw new DataError(`${file.name} has ${array.shape[0]} samples but labels.npy has ${n}`);
    }
    modalities.push({ name: file.name.slice(0, -'.npy'.length), shape });
    features.push(npyFeatures(file.name, array));
  }

  const split = stratifiedSplit(labels, { val: VAL_FRACTION, test: TEST_FRACTION }, createRng(options.seed ?? 1));
  return { name: options.name, modalities, classNames, features, labels, split };
}

/** The shape of one sample: everything after the first (samples) axis. */
function sampleShape(file: string, array: NpyArray): number[] {
  const { shape } = array;
  if (shape.length === 0) {
    throw new DataError(`${file} holds a single value: a modality needs a samples axis and at least one feature axis`);
  }
  if (shape.length === 1) {
    throw new DataError(
      `${file} has shape [${shape[0]}]: a modality needs at least one feature dimension, e.g. [${shape[0]}, 1]`,
    );
  }
  const rest = shape.slice(1);
  if (rest.includes(0)) throw new DataError(`${file} has shape [${shape.join(', ')}]: its samples hold no values`);
  return rest;
}

/** Class ids in numeric order, named by their value, as the CSV format does for integer labels. */
function readLabels(array: NpyArray): { classNames: string[]; labels: Int32Array } {
  const { shape, data } = array;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    throw new DataError(
      `labels.npy has shape [${shape.join(', ')}]; it needs one label per sample: shape [n] or [n, 1]`,
    );
  }
  if (data.length === 0) throw new DataError('labels.npy holds no labels');
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v)) {
      throw new DataError(`labels.npy row ${i + 1} is ${v}, not a whole number; labels must be integer class ids`);
    }
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const values = [...counts.keys()].sort((a, b) => a - b);
  for (const v of values) {
    const k = counts.get(v)!;
    if (k < MIN_PER_CLASS) {
      throw new DataError(
        `class ${v} has only ${k} sample${k === 1 ? '' : 's'}; each class needs at least ${MIN_PER_CLASS} to be split into train, validation and test`,
      );
    }
  }
  const index = new Map(values.map((v, i) => [v, i]));
  return { classNames: values.map(String), labels: Int32Array.from(data, (v) => index.get(v)!) };
}

import { createRng, type Rng } from '../../random';
import { CsvError, parseCsv, parseNumericCsv, type CsvTable } from './csv';
import { featureSize, SPLIT_CODE, type Dataset, type ModalitySpec } from '../dataset';
import { DataError } from '../dataError';
import { checkFeatureSize, checkSampleCount, ValueBudget } from '../limits';
import { stratifiedSplit, MIN_PER_CLASS } from '../splits';

/**
 * The paired-CSV folder format (see DESIGN.md, "Formats"): one CSV per modality, rows aligned,
 * plus labels.csv and the optional classes.csv, split.csv and dataset.json. Framework-free so
 * the browser (folder or ZIP upload) and the CLI (folder path) share it.
 */

export interface TextFile {
  /** Bare file name, e.g. `view1_fac.csv`. */
  name: string;
  text: string;
}

export const RESERVED_FILES = ['labels.csv', 'classes.csv', 'split.csv', 'dataset.json'];

const VAL_FRACTION = 0.15;
const TEST_FRACTION = 0.2;

interface ModalityFile {
  name: string;
  file: string;
  shape?: number[];
}

export function parsePairedCsv(files: TextFile[], options: { name: string; seed?: number }): Dataset {
  const byName = new Map<string, TextFile>();
  for (const f of files) {
    if (byName.has(f.name)) throw new DataError(`There are two files named ${f.name}`);
    byName.set(f.name, f);
  }
  const manifest = readManifest(byName.get('dataset.json'));
  // A dataset.json that lists modalities is the whole list: other CSVs in the folder are left alone.
  const chosen = manifest.modalities ?? discoverModalities(files);
  if (chosen.length === 0) {
    throw new DataError('No modality files: add one CSV per modality besides labels.csv, classes.csv and split.csv');
  }

  const labelsFile = byName.get('labels.csv');
  if (!labelsFile) throw new DataError('labels.csv is missing: it needs a column "label" with the class of each row');
  const labelTable = table(labelsFile);
  const labelCol = column(labelTable, 'label');
  if (labelCol < 0) throw new DataError(`labels.csv has no "label" column (columns: ${labelTable.header.join(', ')})`);
  const rawLabels = labelTable.rows.map((row) => row[labelCol]);
  const n = rawLabels.length;
  checkSampleCount('labels.csv', n);
  const emptyAt = rawLabels.indexOf('');
  if (emptyAt >= 0) throw new DataError(`labels.csv row ${emptyAt + 1}: the label is empty`);

  const classesFile = byName.get('classes.csv');
  const { classNames, labels } = classesFile
    ? labelsFromClasses(rawLabels, table(classesFile))
    : inferClasses(rawLabels);

  const modalities: ModalitySpec[] = [];
  const features: Float32Array[] = [];
  const budget = new ValueBudget();
  for (const m of chosen) {
    const file = byName.get(m.file);
    if (!file) throw new DataError(`dataset.json names ${m.file} for modality ${m.name}, but there is no such file`);
    const t = numericTable(file, (rows, values) => {
      checkRows(file.name, rows, n);
      checkFeatureSize(m.name, values / rows);
      budget.take(file.name, values);
    });
    const cols = t.header.length;
    const shape = m.shape ?? [cols];
    const size = featureSize({ name: m.name, shape });
    if (size !== cols) {
      throw new DataError(
        `dataset.json gives ${m.name} the shape [${shape.join(', ')}] (${size} values), but ${file.name} has ${cols} columns`,
      );
    }
    modalities.push({ name: m.name, shape });
    features.push(t.values);
  }

  const splitFile = byName.get('split.csv');
  const rng = createRng(options.seed ?? 1);
  const split = splitFile
    ? splitFromFile(table(splitFile), n, labels, classNames, rng)
    : stratifiedSplit(labels, { val: VAL_FRACTION, test: TEST_FRACTION }, rng);

  return { name: manifest.name ?? options.name, modalities, classNames, features, labels, split };
}

function discoverModalities(files: TextFile[]): ModalityFile[] {
  return files
    .map((f) => f.name)
    .filter((name) => name.toLowerCase().endsWith('.csv') && !RESERVED_FILES.includes(name))
    .sort()
    .map((file) => ({ name: file.slice(0, -4), file }));
}

function readManifest(file: TextFile | undefined): { name?: string; modalities?: ModalityFile[] } {
  if (!file) return {};
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (e) {
    throw new DataError(`dataset.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new DataError('dataset.json must hold an object');
  const { name, modalities } = json;
  if (name !== undefined && typeof name !== 'string') throw new DataError('dataset.json: "name" must be a string');
  if (modalities === undefined) return { name };
  if (!Array.isArray(modalities)) throw new DataError('dataset.json: "modalities" must be a list');
  const seen = new Set<string>();
  const list = modalities.map((m: unknown, i): ModalityFile => {
    const where = `dataset.json modality ${i + 1}`;
    if (!isObject(m) || typeof m.name !== 'string' || m.name === '' || typeof m.file !== 'string') {
      throw new DataError(`${where} needs a "name" and a "file"`);
    }
    if (seen.has(m.name)) throw new DataError(`dataset.json names the modality ${m.name} twice`);
    seen.add(m.name);
    if (RESERVED_FILES.includes(m.file))
      throw new DataError(`${where}: ${m.file} is reserved and cannot be a modality`);
    const { shape } = m;
    if (shape === undefined) return { name: m.name, file: m.file };
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((s) => Number.isInteger(s) && s > 0)) {
      throw new DataError(`${where} (${m.name}): "shape" must be a list of positive integers, e.g. [28, 28]`);
    }
    return { name: m.name, file: m.file, shape: shape as number[] };
  });
  return { name, modalities: list };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * When every label is a plain decimal integer (`7`, `-1`, `007`), classes are those integers in
 * numeric order; otherwise every label is the string it is, in alphabetical order, so `0x10` and
 * `16`, or `1e1` and `10`, stay two classes.
 */
function inferClasses(raw: string[]): { classNames: string[]; labels: Int32Array } {
  const allIntegers = raw.every((s) => PLAIN_INTEGER.test(s));
  const keys = raw.map((s) => (allIntegers ? String(BigInt(s)) : s));
  const distinct = [...new Set(keys)];
  // Code-unit order, not localeCompare: the class order must not depend on the browser's locale.
  if (allIntegers) distinct.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  else distinct.sort();
  const index = new Map(distinct.map((k, i) => [k, i]));
  return { classNames: distinct, labels: Int32Array.from(keys, (k) => index.get(k)!) };
}

/** Class order and names from classes.csv; labels.csv refers to its `label` column. */
function labelsFromClasses(raw: string[], t: CsvTable): { classNames: string[]; labels: Int32Array } {
  const labelCol = column(t, 'label');
  const nameCol = column(t, 'name');
  if (labelCol < 0 || nameCol < 0) {
    throw new DataError(`classes.csv needs the columns "label" and "name" (columns: ${t.header.join(', ')})`);
  }
  const index = new Map<string, number>();
  t.rows.forEach((row, r) => {
    const key = labelKey(row[labelCol]);
    if (index.has(key)) throw new DataError(`classes.csv row ${r + 1}: the label "${row[labelCol]}" is listed twice`);
    index.set(key, r);
  });
  const labels = new Int32Array(raw.length);
  raw.forEach((s, i) => {
    const k = index.get(labelKey(s));
    if (k === undefined) throw new DataError(`labels.csv row ${i + 1}: the label "${s}" is not in classes.csv`);
    labels[i] = k;
  });
  return { classNames: t.rows.map((row) => row[nameCol]), labels };
}

const PLAIN_INTEGER = /^[+-]?\d+$/;

// "1.0" from a float export must still find the class "1"; nothing else is read as a number.
function labelKey(s: string): string {
  const m = /^([+-]?\d+)(?:\.0*)?$/.exec(s);
  return m ? String(BigInt(m[1])) : s;
}

/**
 * train/test from the file; validation is a stratified share of the train rows. A split the
 * lab cannot evaluate is refused: no test row, or a class without the two train rows that
 * training and validation each need one of.
 */
function splitFromFile(t: CsvTable, n: number, labels: Int32Array, classNames: string[], rng: Rng): Uint8Array {
  const col = column(t, 'split');
  if (col < 0) throw new DataError(`split.csv has no "split" column (columns: ${t.header.join(', ')})`);
  checkRows('split.csv', t.rows.length, n);
  const split = new Uint8Array(n);
  const train: number[] = [];
  t.rows.forEach((row, i) => {
    const v = row[col].toLowerCase();
    if (v === 'train') train.push(i);
    else if (v === 'test') split[i] = SPLIT_CODE.test;
    else throw new DataError(`split.csv row ${i + 1}: "${row[col]}" is not train or test`);
  });
  if (train.length === 0) throw new DataError('split.csv marks no row as train');
  if (train.length === n) throw new DataError('split.csv marks no row as test: mark some rows of each class "test"');
  const trainPerClass = new Array<number>(classNames.length).fill(0);
  const perClass = new Array<number>(classNames.length).fill(0);
  for (const i of train) trainPerClass[labels[i]]++;
  for (const y of labels) perClass[y]++;
  const TRAIN_MIN = MIN_PER_CLASS - 1;
  trainPerClass.forEach((k, y) => {
    // A class too small for any split is refused with its size by assertSplittable.
    if (k < TRAIN_MIN && perClass[y] >= MIN_PER_CLASS)
      throw new DataError(
        `split.csv marks ${k === 0 ? 'no' : `only ${k}`} row${k === 1 ? '' : 's'} of class ${classNames[y]} as train; ` +
          `each class needs at least ${TRAIN_MIN} (one for training, one for validation)`,
      );
  });
  const inner = stratifiedSplit(
    Int32Array.from(train, (i) => labels[i]),
    { val: VAL_FRACTION, test: 0 },
    rng,
  );
  train.forEach((i, j) => (split[i] = inner[j]));
  return split;
}

function checkRows(file: string, rows: number, n: number): void {
  if (rows !== n) throw new DataError(`${file} has ${rows} rows but labels.csv has ${n}`);
}

function column(t: CsvTable, name: string): number {
  return t.header.findIndex((h) => h.toLowerCase() === name);
}

function table(file: TextFile): CsvTable {
  return withFileName(file.name, () => parseCsv(file.text));
}

function numericTable(
  file: TextFile,
  reserve: (rows: number, values: number) => void,
): ReturnType<typeof parseNumericCsv> {
  return withFileName(file.name, () => parseNumericCsv(file.text, reserve));
}

function withFileName<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof CsvError) throw new DataError(`${name} ${e.message}`);
    throw e;
  }
}

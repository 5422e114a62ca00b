import { featureSize, SPLIT_CODE, type Dataset } from './dataset';

export type ModalityKind = 'vector' | 'image' | 'spectrogram';

export interface SamplePreview {
  index: number;
  label: number;
  /** Raw (unstandardised) values per modality. */
  values: Float32Array[];
  /** A playable 16-bit WAV per audio modality (null for the others). */
  audio: (Uint8Array | null)[];
}

/** What the data panel shows: plain data, posted by the worker. */
export interface DatasetSummary {
  name: string;
  modalities: { name: string; shape: number[]; kind: ModalityKind }[];
  classes: string[];
  counts: { train: number; val: number; test: number };
  /** Samples per class in each split. */
  classCounts: { train: number[]; val: number[]; test: number[] };
  previews: SamplePreview[];
}

/** Modality kinds a dataset declares, or inferred from shape: 2-D shapes are images. */
export function modalityKind(d: Dataset, m: number): ModalityKind {
  return d.modalities[m].kind ?? (d.modalities[m].shape.length >= 2 ? 'image' : 'vector');
}

/** Counts per split and class, and one preview sample per class (up to `perClass` × K). */
export function summarise(d: Dataset, perClass = 1, maxPreviews = 8): DatasetSummary {
  const K = d.classNames.length;
  const classCounts = { train: new Array(K).fill(0), val: new Array(K).fill(0), test: new Array(K).fill(0) };
  const splitName = ['train', 'val', 'test'] as const;
  d.labels.forEach((y, i) => classCounts[splitName[d.split[i]]][y]++);
  const previews: SamplePreview[] = [];
  const taken = new Array(K).fill(0);
  for (let i = 0; i < d.labels.length && previews.length < maxPreviews; i++) {
    const y = d.labels[i];
    if (taken[y] >= perClass) continue;
    taken[y]++;
    previews.push({
      index: i,
      label: y,
      values: d.modalities.map((m, mi) => d.features[mi].slice(i * featureSize(m), (i + 1) * featureSize(m))),
      audio: d.modalities.map((_, mi) => d.audio?.[mi]?.(i) ?? null),
    });
  }
  const count = (code: number) => d.split.reduce((s, v) => s + (v === code ? 1 : 0), 0);
  return {
    name: d.name,
    modalities: d.modalities.map((m, mi) => ({ name: m.name, shape: m.shape, kind: modalityKind(d, mi) })),
    classes: d.classNames,
    counts: { train: count(SPLIT_CODE.train), val: count(SPLIT_CODE.val), test: count(SPLIT_CODE.test) },
    classCounts,
    previews,
  };
}

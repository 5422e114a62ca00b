/** A multi-modal dataset held as plain typed arrays: the form every parser and generator produces. */

export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];
export const SPLIT_CODE: Record<SplitName, number> = { train: 0, val: 1, test: 2 };

export interface ModalitySpec {
  name: string;
  /** Shape of one sample, e.g. [2] for a 2-D point or [28, 28] for an image. */
  shape: number[];
  /** How to show it; inferred from the shape when absent (2-D shapes are images). */
  kind?: 'vector' | 'image' | 'spectrogram';
}

export interface Dataset {
  name: string;
  modalities: ModalitySpec[];
  classNames: string[];
  /** One row-major [n, featureSize] array per modality, rows aligned across modalities. */
  features: Float32Array[];
  labels: Int32Array;
  /** Split code per sample (see SPLIT_CODE). */
  split: Uint8Array;
  /** For audio modalities (by index): a playable 16-bit WAV of sample i, or null where none is kept. */
  audio?: Record<number, (i: number) => Uint8Array | null>;
}

export function featureSize(m: ModalitySpec): number {
  return m.shape.reduce((a, b) => a * b, 1);
}

export function sampleCount(d: Dataset): number {
  return d.labels.length;
}

export function splitIndices(d: Dataset, split: SplitName): Int32Array {
  const code = SPLIT_CODE[split];
  const out: number[] = [];
  for (let i = 0; i < d.split.length; i++) if (d.split[i] === code) out.push(i);
  return Int32Array.from(out);
}

/** Rows `idx` of a row-major [n, d] array. */
export function gatherRows(x: Float32Array, d: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(x.subarray(idx[r] * d, idx[r] * d + d), r * d);
  return out;
}

import { DataError } from './dataError';

/**
 * What an upload may hold. The lab keeps every sample in memory twice (raw and standardised) and
 * once more on the device, so these keep a tab well under a typical 4 GB renderer limit. Every
 * reader checks them from headers or a running count before it inflates, decodes or allocates.
 */
export const LIMITS = {
  /** All files together, after unzipping. */
  totalBytes: 256 * 1024 * 1024,
  samples: 100_000,
  /** Values in one sample of one modality (e.g. a 256 × 256 image). */
  featuresPerModality: 65_536,
  /** Values over all samples and modalities. */
  totalValues: 64 * 1024 * 1024,
  /** Pixels of one image before it is scaled down (4096 × 4096): its RGBA buffer is 64 MB. */
  imagePixels: 4096 * 4096,
  /** Length of one audio clip; only the first second is used. */
  audioSeconds: 60,
  /** Sample rates an audio file may declare, in Hz. */
  minSampleRate: 1000,
  maxSampleRate: 192_000,
  /** Channels an audio file may declare (they are mixed down to one). */
  audioChannels: 8,
} as const;

/** `3,072 MB`, `12 KB`, `500 bytes`: rounded to the unit that keeps the number readable. */
export function formatBytes(bytes: number): string {
  const unit = bytes >= 1024 * 1024 ? ['MB', 1024 * 1024] : bytes >= 1024 ? ['KB', 1024] : ['bytes', 1];
  return `${Math.round(bytes / (unit[1] as number)).toLocaleString('en')} ${unit[0]}`;
}
const count = (n: number) => n.toLocaleString('en');

export function checkUploadSize(files: { path: string; bytes: Uint8Array }[]): void {
  const total = files.reduce((s, f) => s + f.bytes.length, 0);
  if (total > LIMITS.totalBytes)
    throw new DataError(
      `The upload is ${formatBytes(total)}, over the ${formatBytes(LIMITS.totalBytes)} limit (after unzipping)`,
    );
}

export function checkSampleCount(name: string, samples: number): void {
  if (samples > LIMITS.samples)
    throw new DataError(`${name} has ${samples} samples, over the limit of ${count(LIMITS.samples)}`);
}

export function checkFeatureSize(modality: string, size: number): void {
  if (size > LIMITS.featuresPerModality)
    throw new DataError(
      `Modality ${modality} has ${count(size)} values per sample, over the limit of ${count(LIMITS.featuresPerModality)}`,
    );
}

export function checkDatasetSize(name: string, samples: number, featureSizes: { name: string; size: number }[]): void {
  checkSampleCount(name, samples);
  for (const f of featureSizes) checkFeatureSize(f.name, f.size);
  const total = samples * featureSizes.reduce((s, f) => s + f.size, 0);
  if (total > LIMITS.totalValues)
    throw new DataError(`${name} holds ${count(total)} values, over the limit of ${count(LIMITS.totalValues)}`);
}

/**
 * A running count of the values a dataset holds, taken before each array is allocated, so a
 * dataset over the limit is refused at the file that crosses it rather than after all are read.
 */
export class ValueBudget {
  private used = 0;

  /** `values` more, for `file`; throws before they are allocated when the total would pass the limit. */
  take(file: string, values: number): void {
    if (this.used + values > LIMITS.totalValues)
      throw new DataError(
        `${file} brings the dataset to ${count(this.used + values)} values, over the limit of ${count(LIMITS.totalValues)}`,
      );
    this.used += values;
  }
}

export function checkImagePixels(name: string, width: number, height: number): void {
  if (width * height > LIMITS.imagePixels)
    throw new DataError(
      `${name} is ${count(width)} × ${count(height)} pixels, over the limit of ${count(LIMITS.imagePixels)} ` +
        `pixels (4096 × 4096); scale it down first`,
    );
}

/** Checked from the header, before any sample is decoded or resampled. */
export function checkAudioHeader(name: string, sampleRate: number, channels: number, seconds: number): void {
  if (sampleRate < LIMITS.minSampleRate || sampleRate > LIMITS.maxSampleRate)
    throw new DataError(
      `${name} declares a sample rate of ${count(sampleRate)} Hz; the lab reads ${count(LIMITS.minSampleRate)} to ` +
        `${count(LIMITS.maxSampleRate)} Hz`,
    );
  if (channels > LIMITS.audioChannels)
    throw new DataError(`${name} declares ${channels} channels; the lab reads at most ${LIMITS.audioChannels}`);
  if (seconds > LIMITS.audioSeconds)
    throw new DataError(
      `${name} is ${count(Math.round(seconds))} s long, over the limit of ${LIMITS.audioSeconds} s (only the first ` +
        `second is used; trim it)`,
    );
}

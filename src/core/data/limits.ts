import { DataError } from './dataError';

/**
 * What an upload may hold. The lab keeps every sample in memory twice (raw and standardised) and
 * once more on the device, so these keep a tab well under a typical 4 GB renderer limit.
 */
export const LIMITS = {
  /** All files together, after unzipping. */
  totalBytes: 256 * 1024 * 1024,
  samples: 100_000,
  /** Values in one sample of one modality (e.g. a 256 × 256 image). */
  featuresPerModality: 65_536,
  /** Values over all samples and modalities. */
  totalValues: 64 * 1024 * 1024,
} as const;

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

export function checkUploadSize(files: { path: string; bytes: Uint8Array }[]): void {
  const total = files.reduce((s, f) => s + f.bytes.length, 0);
  if (total > LIMITS.totalBytes)
    throw new DataError(`The upload is ${mb(total)}, over the ${mb(LIMITS.totalBytes)} limit (after unzipping)`);
}

export function checkDatasetSize(name: string, samples: number, featureSizes: { name: string; size: number }[]): void {
  if (samples > LIMITS.samples)
    throw new DataError(`${name} has ${samples} samples, over the limit of ${LIMITS.samples.toLocaleString('en')}`);
  for (const f of featureSizes)
    if (f.size > LIMITS.featuresPerModality)
      throw new DataError(
        `Modality ${f.name} has ${f.size.toLocaleString('en')} values per sample, over the limit of ` +
          `${LIMITS.featuresPerModality.toLocaleString('en')}`,
      );
  const total = samples * featureSizes.reduce((s, f) => s + f.size, 0);
  if (total > LIMITS.totalValues)
    throw new DataError(
      `${name} holds ${total.toLocaleString('en')} values, over the limit of ${LIMITS.totalValues.toLocaleString('en')}`,
    );
}

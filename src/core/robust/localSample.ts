import { createRng, permutation } from '../random';

/** The sample's own seed stream, apart from the run's data split, initial weights and batch order. */
const STREAM = 0x10ca1b;

/** How many of a split's n samples the local bound covers: the setting null means all, 0 none. */
export function localSampleCount(setting: number | null, n: number): number {
  return setting === null ? n : Math.min(Math.max(0, Math.floor(setting)), n);
}

/**
 * Which of a split's n samples the local bound certifies (attack.localBound; null: all): a
 * seeded random draw without replacement, in split order, so the same seed certifies the same
 * samples in the CLI, the worker and the report, and a sample is not biased to the split's
 * first rows (a CSV sorted by class would otherwise certify one class). All n when it covers them.
 */
export function localSample(setting: number | null, n: number, seed: number): Int32Array {
  const count = localSampleCount(setting, n);
  if (count === n) return Int32Array.from({ length: n }, (_, i) => i);
  return permutation(n, createRng((seed ^ STREAM) >>> 0))
    .subarray(0, count)
    .sort();
}

import { permutation, type Rng } from '../random';
import { SPLIT_CODE } from './dataset';
import { DataError } from './dataError';

/**
 * Stratified train/val/test assignment: every class keeps its share in every split, so a small
 * class cannot vanish from the test set by chance. A class of n samples gets round(n · fraction)
 * in each asked-for split but at least one, with at least one left for training: from
 * MIN_PER_CLASS samples up, every class is in train, validation and test.
 */
export function stratifiedSplit(labels: Int32Array, fractions: { val: number; test: number }, rng: Rng): Uint8Array {
  const split = new Uint8Array(labels.length);
  const byClass = new Map<number, number[]>();
  labels.forEach((y, i) => {
    const list = byClass.get(y) ?? [];
    list.push(i);
    byClass.set(y, list);
  });
  for (const [, idx] of [...byClass.entries()].sort((a, b) => a[0] - b[0])) {
    const order = permutation(idx.length, rng);
    const n = idx.length;
    let nTest = fractions.test > 0 ? Math.max(1, Math.round(n * fractions.test)) : 0;
    let nVal = fractions.val > 0 ? Math.max(1, Math.round(n * fractions.val)) : 0;
    // Too small a class for every split (refused upstream): training keeps one, then test, then validation.
    while (nTest + nVal > Math.max(0, n - 1)) {
      if (nVal > 0 && nVal >= nTest) nVal--;
      else nTest--;
    }
    order.forEach((o, r) => {
      split[idx[o]] = r < nTest ? SPLIT_CODE.test : r < nTest + nVal ? SPLIT_CODE.val : SPLIT_CODE.train;
    });
  }
  return split;
}

/** One sample each for train, validation and test is the least a stratified split can work with. */
export const MIN_PER_CLASS = 3;

/**
 * Refuses a dataset with a single class, or whose smallest class cannot appear in every split;
 * names the class. `source` is where the labels came from, for the message.
 */
export function assertSplittable(labels: Int32Array, classNames: string[], source = 'The dataset'): void {
  if (classNames.length === 1)
    throw new DataError(
      `${source} has a single class (${classNames[0]}); the lab needs at least two classes to classify`,
    );
  const counts = new Array(classNames.length).fill(0);
  for (const y of labels) counts[y]++;
  counts.forEach((k, y) => {
    if (k < MIN_PER_CLASS)
      throw new DataError(
        `class ${classNames[y]} has only ${k} sample${k === 1 ? '' : 's'}; each class needs at least ` +
          `${MIN_PER_CLASS} to be split into train, validation and test`,
      );
  });
}

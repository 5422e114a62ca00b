import { permutation, type Rng } from '../random';
import { SPLIT_CODE } from './dataset';

/**
 * Stratified train/val/test assignment: every class keeps its share in every split,
 * so a small class cannot vanish from the test set by chance.
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
    const nTest = Math.round(idx.length * fractions.test);
    const nVal = Math.round(idx.length * fractions.val);
    order.forEach((o, r) => {
      split[idx[o]] = r < nTest ? SPLIT_CODE.test : r < nTest + nVal ? SPLIT_CODE.val : SPLIT_CODE.train;
    });
  }
  return split;
}

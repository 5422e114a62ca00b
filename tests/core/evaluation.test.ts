import { describe, expect, it } from 'vitest';
import type { Radii } from '../../src/core/robust/certify';
import type { ModelOutputs } from '../../src/core/robust/modelOutputs';
import { preferenceDiagnostics } from '../../src/core/robust/preference';
import { standardTargets } from '../../src/core/robust/evaluation';

describe('attack targets', () => {
  it('are each modality alone, then all', () => {
    expect(standardTargets(['a', 'b', 'c'])).toEqual([
      { name: 'a', mask: [true, false, false] },
      { name: 'b', mask: [false, true, false] },
      { name: 'c', mask: [false, false, true] },
      { name: 'all', mask: [true, true, true] },
    ]);
  });
});

describe('preference diagnostics (spec §10)', () => {
  // Three samples, two classes, two modalities. Sample 2 is misclassified.
  const K = 2;
  const labels = Int32Array.from([0, 1, 0]);
  const c0 = Float32Array.from([3, 0, 0, 1, 0, 2]); // modality a's contributions
  const c1 = Float32Array.from([1, 0, 0, 2, 0, 0.5]); // modality b's
  const logits = c0.map((v, i) => v + c1[i]);
  const outputs: ModelOutputs = { n: 3, K, logits, uni: [c0, c1], contributions: [c0, c1] };
  const radii = (a: number[], b: number[]): Radii => ({
    joint: Float64Array.from([1, 1, 0]),
    perModality: [Float64Array.from(a), Float64Array.from(b)],
    correct: Uint8Array.from([1, 1, 0]),
  });
  const d = preferenceDiagnostics(
    outputs,
    labels,
    { sound: radii([2, 4, 0], [1, 1, 0]), estimated: radii([5, 6, 0], [9, 9, 0]) },
    ['a', 'b'],
  );

  it("branch accuracy, and each modality's mean share of the fused margin over correct samples", () => {
    expect(d.branchAccuracy).toEqual([2 / 3, 2 / 3]);
    // Shares against the runner-up: sample 0: a 3, b 1; sample 1: a 1, b 2; sample 2 is excluded.
    expect(d.meanShare).toEqual([2, 1.5]);
  });

  it('the cheapest modality has the smaller median single-modality radius; the ratio is their inverse ratio', () => {
    expect(d.medianRadius.sound).toEqual([2, 1]);
    expect(d.cheapest).toEqual({ sound: 'b', estimated: 'a' });
    expect(d.lipschitzRatio.sound).toEqual([1, 2]);
    expect(d.lipschitzRatio.estimated).toEqual([1, 5 / 9]);
  });
});

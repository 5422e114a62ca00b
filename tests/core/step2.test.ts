import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createModel, type HeadSpec } from '../../src/core/model/model';
import { createRng } from '../../src/core/random';
import { frozenUniModalLogits } from '../../src/core/train/step2';

function setup(head: HeadSpec, n: number) {
  const model = createModel({
    inputShapes: [[3], [4]],
    classes: 4,
    encoders: [
      { kind: 'mlp', widths: [8, 6], activation: 'relu' },
      { kind: 'mlp', widths: [7, 5], activation: 'relu' },
    ],
    head,
    seed: 2,
  });
  const rng = createRng(8);
  const xs = [3, 4].map((d) =>
    tf.tensor2d(
      Float32Array.from({ length: n * d }, () => rng.normal()),
      [n, d],
    ),
  );
  return { model, xs };
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('step 2 inputs (frozen uni-modal logits)', () => {
  it('are the uni-modal logits of a forward pass, over more rows than one chunk', () => {
    const { model, xs } = setup({ kind: 'crmt', rows: 'orthonormal' }, 2100);
    const frozen = frozenUniModalLogits(model, xs);
    const out = model.forward(xs);
    expect(frozen.map((z) => z.shape)).toEqual([
      [2100, 4],
      [2100, 4],
    ]);
    frozen.forEach((z, m) => expect(maxDiff(z, out.uni[m])).toBeLessThan(1e-5));
    tf.dispose([...frozen, ...xs]);
    model.dispose();
  });

  for (const head of [
    { kind: 'crmt', rows: 'orthonormal' },
    { kind: 'joint' },
    { kind: 'joint', perModalityBias: true },
  ] as HeadSpec[])
    it(`give the forward pass's fused logits through head.fuse (${JSON.stringify(head)})`, () => {
      const { model, xs } = setup(head, 9);
      // Nonzero biases and integration weights, so fuse must add them exactly as apply does.
      for (const [name, v] of model.params) if (/bias|head\.a/.test(name)) v.assign(tf.randomUniform(v.shape, 0.1, 1));
      const out = model.forward(xs);
      expect(maxDiff(model.head.fuse(out.uni), out.logits)).toBe(0);
      tf.dispose(xs);
      model.dispose();
    });
});

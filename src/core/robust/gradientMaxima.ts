import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';

/** Rows per backward pass: samples × classes, since every sample is repeated once per class. */
const GRAD_ROWS = 8192;

/**
 * Max over the samples `x` of modality m of ‖∇ₓ (r · φᵐ(x))‖², for each row r of `rows` ([R, dₘ]):
 * one backward pass per chunk, each sample repeated once per row (block r holds the chunk and
 * back-propagates row r), so R·n rows in all and no R×R product anywhere.
 */
async function rowGradientMaxima(
  model: MultiModalModel,
  x: tf.Tensor2D,
  m: number,
  rows: tf.Tensor2D,
): Promise<Float32Array> {
  const n = x.shape[0];
  const R = rows.shape[0];
  const out = new Float32Array(R);
  for (let first = 0; first < R; first += GRAD_ROWS) {
    const G = Math.min(GRAD_ROWS, R - first);
    const chunk = Math.max(1, Math.floor(GRAD_ROWS / G));
    let best: tf.Tensor | null = null;
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const next = tf.tidy(() => {
        const xs = x.slice([start, 0], [size, -1]);
        const block = tf.tensor1d(
          Int32Array.from({ length: G * size }, (_, i) => first + Math.floor(i / size)),
          'int32',
        );
        const selected = (xm: tf.Tensor) =>
          tf.sum(tf.mul(model.encoders[m].apply(xm as tf.Tensor2D), tf.gather(rows, block)));
        const g = tf.grad(selected)(tf.concat(new Array<tf.Tensor2D>(G).fill(xs)));
        const sq = tf.max(tf.reshape(tf.sum(tf.square(g), 1), [G, size]), 1);
        return best ? tf.maximum(best, sq) : sq;
      });
      best?.dispose();
      best = next;
    }
    out.set((await best!.data()) as Float32Array, first);
    best!.dispose();
  }
  return out;
}

const root = (x: number) => Math.sqrt(Math.max(x, 0));

/**
 * Max over samples of ‖Wₖ Jᵐ(x)‖² for every row Wₖ of `rows` ([K, dₘ]), where Jᵐ(x) is the
 * encoder's Jacobian [dₘ, nₘ] at x: dₘ backward passes per sample instead of K, then one matrix
 * product, for when the feature size dₘ is below K.
 */
async function jacobianRowMaxima(
  model: MultiModalModel,
  x: tf.Tensor2D,
  m: number,
  rows: tf.Tensor2D,
): Promise<Float32Array> {
  const [n, inputs] = x.shape;
  const [K, d] = rows.shape;
  // Samples per chunk: d repeats each for the Jacobian, and K × (its n or d) numbers for the product.
  const chunk = Math.max(
    1,
    Math.min(Math.floor(GRAD_ROWS / d), Math.floor((64 * GRAD_ROWS) / (K * Math.min(inputs, d)))),
  );
  let best: tf.Tensor | null = null;
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const next = tf.tidy(() => {
      const xs = x.slice([start, 0], [size, -1]);
      const feature = tf.oneHot(
        tf.tensor1d(
          Int32Array.from({ length: d * size }, (_, i) => Math.floor(i / size)),
          'int32',
        ),
        d,
      );
      const selected = (xm: tf.Tensor) => tf.sum(tf.mul(model.encoders[m].apply(xm as tf.Tensor2D), feature));
      // Block j of the gradient is row j of every sample's Jacobian: [d, size, n].
      const J = tf.reshape(tf.grad(selected)(tf.concat(new Array<tf.Tensor2D>(d).fill(xs))), [d, size, inputs]);
      let sq: tf.Tensor2D; // ‖Wₖ J(x)‖² per class and sample: [K, size]
      if (inputs <= d) {
        const g = tf.reshape(tf.matMul(rows, tf.reshape(J, [d, size * inputs])), [K, size, inputs]);
        sq = tf.sum(tf.square(g), 2);
      } else {
        // Wₖ J Jᵀ Wₖᵀ through the [d, d] Gram matrix of each sample's Jacobian.
        const Js = tf.transpose(J, [1, 0, 2]); // [size, d, n]
        const gram = tf.matMul(Js, Js, false, true); // [size, d, d]
        const wg = tf.reshape(tf.matMul(rows, tf.reshape(tf.transpose(gram, [1, 0, 2]), [d, size * d])), [K, size, d]);
        sq = tf.sum(tf.mul(wg, tf.expandDims(rows, 1)), 2);
      }
      const maxima = tf.max(sq, 1);
      return best ? tf.maximum(best, maxima) : maxima;
    });
    best?.dispose();
    best = next;
  }
  const v = (await best!.data()) as Float32Array;
  best!.dispose();
  return v;
}

/**
 * Per modality and class: max over samples of ‖∇ₓᵐ zₖᵐ‖ (τ), in time linear in K: through the
 * encoder's Jacobian when its feature size is below K, else one backward row per class and sample.
 */
export async function classGradientNorms(model: MultiModalModel, xs: tf.Tensor2D[]): Promise<number[][]> {
  const K = model.spec.classes;
  const out: number[][] = [];
  for (let m = 0; m < xs.length; m++) {
    const rows = tf.tidy(() => model.head.rowMatrices()[m]);
    const sq =
      model.encoders[m].outDim < K
        ? await jacobianRowMaxima(model, xs[m], m, rows)
        : await rowGradientMaxima(model, xs[m], m, rows);
    rows.dispose();
    out.push(Array.from(sq, root));
  }
  return out;
}

/**
 * Per modality: the largest per-sample gradient norm of each uni-modal logit (τ), and, when
 * asked, of each difference of two (the full K×K pair matrix), over all samples in `xs`. The K×K
 * Gram matrix per sample makes this quadratic in K: used up to FULL_PAIR_CLASSES classes.
 */
export async function classGradientMaxima(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  withPairs: boolean,
): Promise<{ tau: number[]; pair: Float64Array | null }[]> {
  const n = xs[0].shape[0];
  const K = model.spec.classes;
  const out: { tau: number[]; pair: Float64Array | null }[] = [];
  // Each sample is repeated K times (block k holds the chunk once) and block k back-propagates class
  // k's logit: all K per-class gradients from one backward pass instead of one pass per class.
  const chunk = Math.max(1, Math.floor(GRAD_ROWS / K));
  for (let m = 0; m < xs.length; m++) {
    const rows = tf.tidy(() => model.head.rowMatrices()[m]);
    let best: tf.Tensor | null = null;
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const next = tf.tidy(() => {
        const x = xs[m].slice([start, 0], [size, -1]);
        const blockClass = Int32Array.from({ length: K * size }, (_, i) => Math.floor(i / size));
        const classOfRow = tf.oneHot(tf.tensor1d(blockClass, 'int32'), K);
        const encoder = model.encoders[m];
        const selected = (xm: tf.Tensor) =>
          tf.sum(tf.mul(tf.matMul(encoder.apply(xm as tf.Tensor2D), rows, false, true), classOfRow));
        // Block k back-propagates row k of the head: the cotangent at the features is classOfRow·rows.
        const inputGrad = encoder.inputGradient
          ? encoder.inputGradient(x, tf.matMul(classOfRow, rows), K)
          : tf.grad(selected)(tf.concat(new Array<tf.Tensor2D>(K).fill(x)));
        // [K, size, d] → [size, K, d]: a fresh gradient of each class's logit, per sample.
        const perClass = tf.reshape(inputGrad, [K, size, -1]);
        const g = tf.transpose(perClass, [1, 0, 2]) as tf.Tensor3D;
        const gram = tf.matMul(g, g, false, true); // [size, K, K]
        const diag = tf.sum(tf.mul(gram, tf.eye(K)), 2); // ‖∇zₖ‖² [size, K]
        // Largest ‖∇zₖ‖² per class, then (if asked) largest ‖∇z_y − ∇zₖ‖² per pair, flattened.
        const parts = [tf.max(diag, 0)];
        if (withPairs)
          parts.push(
            tf.reshape(tf.max(tf.sub(tf.add(tf.expandDims(diag, 2), tf.expandDims(diag, 1)), tf.mul(2, gram)), 0), [
              K * K,
            ]),
          );
        const maxima = tf.concat(parts);
        return best ? tf.maximum(best, maxima) : maxima;
      });
      best?.dispose();
      best = next;
    }
    rows.dispose();
    const v = await best!.data();
    best!.dispose();
    // Squared norms can come out a hair below 0 in float32; the diagonal of the pairs is 0 by definition.
    const pair = withPairs
      ? Float64Array.from(v.subarray(K), (x, i) => (Math.floor(i / K) === i % K ? 0 : root(x)))
      : null;
    out.push({ tau: Array.from(v.subarray(0, K), root), pair });
  }
  return out;
}

import * as tf from '@tensorflow/tfjs-core';
import type { Encoder } from '../model/encoder';
import { forRowBlocks } from '../ops/rowBlocks';
import type { MultiModalModel } from '../model/model';

/** Rows per backward pass: samples × classes, since every sample is repeated once per class. */
const GRAD_ROWS = 8192;

/**
 * Numbers in each [rows, width] intermediate of a block of classGradientMaxima (8 MiB of float32):
 * the default MLP then takes a 1,870-sample training split at K = 10 in one block, and fewer, larger
 * products save about a fifth of the time on tfjs-wasm.
 */
const BLOCK_FLOATS = 1 << 21;

/** Samples per block: the widest layer an encoder passes K rows per sample through, and the input for explicit gradients. */
function samplesPerBlock(encoder: Encoder, inputs: number, K: number): number {
  const widths = [...encoder.params.values()].map((p) => p.shape[p.rank - 1] ?? 1);
  const widest = Math.max(...widths, encoder.gradientGram ? 1 : inputs);
  return Math.max(1, Math.floor(BLOCK_FLOATS / (widest * K)));
}

/**
 * Max over the samples `x` of modality m of ‖∇ₓ (r · φᵐ(x))‖², for each row r of `rows` ([R, dₘ]):
 * the encoder's gradientNorms where it has them, else one backward pass per chunk, each sample
 * repeated once per row (block r holds the chunk and back-propagates row r), so R·n rows in all and
 * no R×R product anywhere.
 */
async function rowGradientMaxima(
  model: MultiModalModel,
  x: tf.Tensor2D,
  m: number,
  rows: tf.Tensor2D,
): Promise<Float32Array> {
  const R = rows.shape[0];
  const out = new Float32Array(R);
  const encoder = model.encoders[m];
  for (let first = 0; first < R; first += GRAD_ROWS) {
    const G = Math.min(GRAD_ROWS, R - first);
    const best = new RunningMax();
    if (encoder.gradientNorms) {
      const group = tf.tidy(() => rows.slice([first, 0], [G, -1]));
      await forRowBlocks(x, samplesPerBlock(encoder, x.shape[1], G), (xs) =>
        best.add(tf.tidy(() => tf.max(encoder.gradientNorms!(xs, group), 0))),
      );
      group.dispose();
      out.set(await best.read(), first);
      continue;
    }
    await forRowBlocks(x, Math.max(1, Math.floor(GRAD_ROWS / G)), (xs) =>
      best.add(
        tf.tidy(() => {
          const size = xs.shape[0];
          const block = tf.tensor1d(
            Int32Array.from({ length: G * size }, (_, i) => first + Math.floor(i / size)),
            'int32',
          );
          const selected = (xm: tf.Tensor) =>
            tf.sum(tf.mul(model.encoders[m].apply(xm as tf.Tensor2D), tf.gather(rows, block)));
          const g = tf.grad(selected)(tf.concat(new Array<tf.Tensor2D>(G).fill(xs)));
          return tf.max(tf.reshape(tf.sum(tf.square(g), 1), [G, size]), 1);
        }),
      ),
    );
    out.set(await best.read(), first);
  }
  return out;
}

const root = (x: number) => Math.sqrt(Math.max(x, 0));

/** The element-wise maximum of the tensors added so far, holding one tensor at a time. */
class RunningMax {
  private best: tf.Tensor | null = null;

  add(next: tf.Tensor): void {
    const merged = this.best ? tf.maximum(this.best, next) : next;
    if (this.best) tf.dispose([this.best, next]);
    this.best = merged;
  }

  async read(): Promise<Float32Array> {
    const v = (await this.best!.data()) as Float32Array;
    this.best!.dispose();
    this.best = null;
    return v;
  }
}

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
  const inputs = x.shape[1];
  const [K, d] = rows.shape;
  // Samples per chunk: d repeats each for the Jacobian, and K × (its n or d) numbers for the product.
  const chunk = Math.max(
    1,
    Math.min(Math.floor(GRAD_ROWS / d), Math.floor((64 * GRAD_ROWS) / (K * Math.min(inputs, d)))),
  );
  const best = new RunningMax();
  await forRowBlocks(x, chunk, (xs) =>
    best.add(
      tf.tidy(() => {
        const size = xs.shape[0];
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
          const wg = tf.reshape(tf.matMul(rows, tf.reshape(tf.transpose(gram, [1, 0, 2]), [d, size * d])), [
            K,
            size,
            d,
          ]);
          sq = tf.sum(tf.mul(wg, tf.expandDims(rows, 1)), 2);
        }
        return tf.max(sq, 1);
      }),
    ),
  );
  return best.read();
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
 * The K per-class input gradients of each sample, [size, K, n], for encoders without their own
 * gradientNorms/gradientGram: one backward pass of the batch sum, each sample repeated K times
 * (block k holds the chunk once and back-propagates row k of the head), since samples do not interact.
 */
function classGradients(encoder: Encoder, x: tf.Tensor2D, rows: tf.Tensor2D): tf.Tensor3D {
  const size = x.shape[0];
  const K = rows.shape[0];
  const blockClass = Int32Array.from({ length: K * size }, (_, i) => Math.floor(i / size));
  const classOfRow = tf.oneHot(tf.tensor1d(blockClass, 'int32'), K);
  const selected = (xm: tf.Tensor) =>
    tf.sum(tf.mul(tf.matMul(encoder.apply(xm as tf.Tensor2D), rows, false, true), classOfRow));
  const g = tf.grad(selected)(tf.concat(new Array<tf.Tensor2D>(K).fill(x)));
  return tf.transpose(tf.reshape(g, [K, size, -1]), [1, 0, 2]) as tf.Tensor3D;
}

/** ‖∇zₖ‖² per sample and class [size, K], and with `withPairs` the Gram matrices [size, K, K] of those gradients. */
function classGram(encoder: Encoder, x: tf.Tensor2D, rows: tf.Tensor2D, withPairs: boolean): tf.Tensor {
  if (withPairs && encoder.gradientGram) return encoder.gradientGram(x, rows);
  if (!withPairs && encoder.gradientNorms) return encoder.gradientNorms(x, rows);
  const g = classGradients(encoder, x, rows);
  return withPairs ? tf.matMul(g, g, false, true) : tf.sum(tf.square(g), 2);
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
  const K = model.spec.classes;
  const out: { tau: number[]; pair: Float64Array | null }[] = [];
  const allRows = tf.tidy(() => model.head.rowMatrices()); // one orthogonalisation for every modality
  try {
    for (let m = 0; m < xs.length; m++) {
      const encoder = model.encoders[m];
      const block = samplesPerBlock(encoder, xs[m].shape[1], K);
      if (!withPairs) {
        const best = new RunningMax();
        await forRowBlocks(xs[m], block, (x) =>
          best.add(tf.tidy(() => tf.max(classGram(encoder, x, allRows[m], false), 0))),
        );
        out.push({ tau: Array.from(await best.read(), root), pair: null });
        continue;
      }
      const maxima = new GramMaxima(K);
      await forRowBlocks(xs[m], block, async (x) => {
        const gram = tf.tidy(() => classGram(encoder, x, allRows[m], true));
        maxima.add((await gram.data()) as Float32Array);
        gram.dispose();
      });
      out.push(maxima.result());
    }
  } finally {
    tf.dispose(allRows);
  }
  return out;
}

/**
 * Largest ‖∇zₖ‖² per class and ‖∇z_y − ∇zₖ‖² = G_yy + G_kk − G_yk − G_ky per pair over the Gram
 * matrices G [size, K, K] it is given, in float64 on the host: a pass over K² numbers per sample,
 * cheaper there than the broadcast element-wise kernels of tfjs-wasm. Summing G_yk and G_ky, which
 * differ by float32 rounding where the products were reassociated, makes the pairs symmetric.
 */
export class GramMaxima {
  private readonly tau: Float64Array;
  private readonly pair: Float64Array;

  constructor(private readonly K: number) {
    this.tau = new Float64Array(K);
    this.pair = new Float64Array(K * K);
  }

  add(gram: ArrayLike<number>): void {
    const K = this.K;
    for (let base = 0; base < gram.length; base += K * K) {
      for (let y = 0; y < K; y++) {
        const gyy = gram[base + y * K + y];
        if (gyy > this.tau[y] || Number.isNaN(gyy)) this.tau[y] = gyy; // a NaN stays: never a finite τ from it
        for (let k = y + 1; k < K; k++) {
          const sq = gyy + gram[base + k * K + k] - gram[base + y * K + k] - gram[base + k * K + y];
          if (sq > this.pair[y * K + k] || Number.isNaN(sq)) this.pair[y * K + k] = sq;
        }
      }
    }
  }

  /** τ and the pair matrix (0 on the diagonal by definition); squares a hair below 0 in float32 read as 0. */
  result(): { tau: number[]; pair: Float64Array } {
    const K = this.K;
    const pair = new Float64Array(K * K);
    for (let y = 0; y < K; y++)
      for (let k = y + 1; k < K; k++) pair[y * K + k] = pair[k * K + y] = root(this.pair[y * K + k]);
    return { tau: Array.from(this.tau, root), pair };
  }
}

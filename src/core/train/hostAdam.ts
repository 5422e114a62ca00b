import * as tf from '@tensorflow/tfjs-core';
import { adamConstants, type AdamConstants } from './adamConstants';

const f32 = Math.fround;

/**
 * Adam with its moments in host memory, for the backends whose tensors live in this thread's memory
 * (wasm, cpu): there, reading a gradient is a memory copy rather than a device sync, so the update
 * is one typed-array loop over all variables instead of about 45 kernels of a few µs of dispatch
 * each on a few thousand numbers (FusedAdam, which the GPU backends keep).
 *
 * The arithmetic is FusedAdam's (and so tf.train.adam's), op for op in float32: every intermediate
 * is rounded to float32 as its kernel would store it, so the weights are bit-identical.
 */
export class HostAdam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly c: AdamConstants;
  /** β₁ᵗ and β₂ᵗ as float32, updated after each step. */
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    private readonly variables: tf.Variable[],
    learningRate: number,
    beta1?: number,
    beta2?: number,
    epsilon?: number,
  ) {
    this.m = variables.map((v) => new Float32Array(v.size));
    this.v = variables.map((v) => new Float32Array(v.size));
    this.c = adamConstants(learningRate, beta1, beta2, epsilon);
    this.accBeta1 = this.c.beta1;
    this.accBeta2 = this.c.beta2;
  }

  /** One step on `loss`; returns its value. A variable the loss does not reach gets a zero gradient. */
  minimize(loss: () => tf.Scalar): tf.Scalar {
    return this.apply(tf.variableGrads(loss, this.variables));
  }

  /**
   * One step from gradients already taken, by the tape (`minimize`) or by hand (jtStep.ts), keyed by
   * variable name; disposes them and returns `value`. A variable without a gradient gets zero.
   */
  apply<T>({ value, grads }: { value: T; grads: tf.NamedTensorMap }): T {
    const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, epsilon, negLr } = this.c;
    const c1 = f32(1 - this.accBeta1);
    const c2 = f32(1 - this.accBeta2);
    this.variables.forEach((variable, i) => {
      const grad = grads[variable.name];
      const g = grad ? (grad.dataSync() as Float32Array) : new Float32Array(variable.size);
      // On the CPU backend dataSync hands out the tensor's own storage: read it, never write it.
      const w = variable.dataSync() as Float32Array;
      const m = this.m[i];
      const v = this.v[i];
      const out = new Float32Array(w.length);
      for (let j = 0; j < w.length; j++) {
        const gj = g[j];
        // Float32Array stores round to float32, as the kernels' outputs do.
        m[j] = f32(f32(m[j] * beta1) + f32(gj * oneMinusBeta1));
        v[j] = f32(f32(v[j] * beta2) + f32(f32(gj * gj) * oneMinusBeta2));
        const mHat = f32(m[j] / c1);
        const vHat = f32(v[j] / c2);
        out[j] = f32(f32(mHat / f32(f32(Math.sqrt(vHat)) + epsilon)) * negLr) + w[j];
      }
      // Not a tidy per variable: its scope bookkeeping cost about as much as the upload (11 variables:
      // 28 → 21 µs a step). The variable takes the new tensor's data; the tensor itself goes.
      const next = tf.tensor(out, variable.shape, 'float32');
      variable.assign(next);
      next.dispose();
    });
    tf.dispose(grads);
    this.accBeta1 = f32(this.accBeta1 * beta1);
    this.accBeta2 = f32(this.accBeta2 * beta2);
    return value;
  }

  dispose(): void {}
}

import * as tf from '@tensorflow/tfjs-core';
import { adamConstants, type AdamConstants } from './adamConstants';

/**
 * Adam over a fixed list of variables, run as one flat vector. tf.train.adam updates each variable
 * with its own 14 small ops and uploads 6 scalars per variable per step; for the lab's small models
 * that dispatch overhead, not arithmetic, was most of a training step. Here the gradients are
 * concatenated once and the moments live in two flat variables, so a step costs about 25 kernels
 * whatever the number of variables.
 *
 * The arithmetic is tf.train.adam's, op for op in float32 (β₁ᵗ and β₂ᵗ by repeated float32
 * products, as its accBeta variables hold them), so both give bit-identical weights.
 */
export class FusedAdam {
  private readonly sizes: number[];
  private readonly moments: { m: tf.Variable; v: tf.Variable };
  private readonly constants: Record<keyof AdamConstants, tf.Scalar>;
  private readonly beta1: number;
  private readonly beta2: number;
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
    this.sizes = variables.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.moments = tf.tidy(() => ({
      m: tf.variable(tf.zeros([total]), false),
      v: tf.variable(tf.zeros([total]), false),
    }));
    const c = adamConstants(learningRate, beta1, beta2, epsilon);
    this.constants = Object.fromEntries(Object.entries(c).map(([k, x]) => [k, tf.scalar(x)])) as Record<
      keyof AdamConstants,
      tf.Scalar
    >;
    this.beta1 = c.beta1;
    this.beta2 = c.beta2;
    this.accBeta1 = this.beta1;
    this.accBeta2 = this.beta2;
  }

  /** One step on `loss`; returns its value. A variable the loss does not reach gets a zero gradient. */
  minimize(loss: () => tf.Scalar): tf.Scalar {
    const { value, grads } = tf.variableGrads(loss, this.variables);
    tf.tidy(() => {
      const c = this.constants;
      const g = tf.concat(this.variables.map((v) => tf.reshape(grads[v.name] ?? tf.zerosLike(v), [-1])));
      const { m, v } = this.moments;
      const newM = tf.add(tf.mul(m, c.beta1), tf.mul(g, c.oneMinusBeta1));
      const newV = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), c.oneMinusBeta2));
      const mHat = tf.div(newM, tf.scalar(Math.fround(1 - this.accBeta1)));
      const vHat = tf.div(newV, tf.scalar(Math.fround(1 - this.accBeta2)));
      m.assign(newM);
      v.assign(newV);
      const delta = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), c.epsilon)), c.negLr);
      tf.split(delta, this.sizes).forEach((d, i) => {
        const variable = this.variables[i];
        variable.assign(tf.add(tf.reshape(d, variable.shape), variable));
      });
    });
    tf.dispose(grads);
    this.accBeta1 = Math.fround(this.accBeta1 * this.beta1);
    this.accBeta2 = Math.fround(this.accBeta2 * this.beta2);
    return value;
  }

  dispose(): void {
    this.moments.m.dispose();
    this.moments.v.dispose();
    Object.values(this.constants).forEach((t) => t.dispose());
  }
}

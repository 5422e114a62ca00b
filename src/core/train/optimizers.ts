import * as tf from '@tensorflow/tfjs-core';
import { FusedAdam } from './fusedAdam';
import { HostAdam } from './hostAdam';

/** What the trainer needs of an optimiser: one step on a loss over a variable list fixed at creation. */
export interface StepOptimizer {
  /** Applies one update and returns the loss's value. */
  minimize(loss: () => tf.Scalar): tf.Scalar;
  dispose(): void;
}

/**
 * Adam (the main phase, teachers): on wasm and cpu, whose tensors are in this thread's memory, in
 * typed arrays (hostAdam.ts); on the GPU backends fused over all variables (fusedAdam.ts). Both are
 * bit-identical to tf.train.adam.
 */
export function adamStep(variables: tf.Variable[], learningRate: number): StepOptimizer {
  const backend = tf.getBackend();
  return backend === 'wasm' || backend === 'cpu'
    ? new HostAdam(variables, learningRate)
    : new FusedAdam(variables, learningRate);
}

/** SGD with momentum (step 2, on the integration weights only: two small variables, left to tfjs). */
export function momentumStep(variables: tf.Variable[], learningRate: number, momentum: number): StepOptimizer {
  const optimizer = tf.train.momentum(learningRate, momentum);
  return {
    minimize: (loss) => optimizer.minimize(loss, true, variables) as tf.Scalar,
    dispose: () => disposeOptimizer(optimizer),
  };
}

/**
 * Frees an optimiser completely. tfjs 4.22's MomentumOptimizer.dispose() does not call its
 * parent's, so the learning-rate scalar it inherits from SGDOptimizer (`c`) would leak one
 * tensor per step-2 phase.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  if (optimizer instanceof tf.MomentumOptimizer) {
    const c = (optimizer as unknown as { c?: tf.Tensor }).c;
    if (c && !c.isDisposed) c.dispose();
  }
}

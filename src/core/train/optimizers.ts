import * as tf from '@tensorflow/tfjs';

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

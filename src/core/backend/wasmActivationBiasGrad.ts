import * as tf from '@tensorflow/tfjs-core';
import type { WasmHeap } from './wasmPatches';

/** The lab's kernel name: dy through a fused activation, and its sum over every position (the bias gradient). */
export const ACTIVATION_BIAS_GRAD = 'LabActivationBiasGrad';

export interface ActivationBiasGradAttrs {
  /** FusedConv2D's name of the activation whose output is `y`. */
  activation: 'relu' | 'leakyrelu' | 'linear';
  leakyreluAlpha: number;
}

/**
 * [dz, db] for a convolution whose FusedConv2D output is y = act(z): dz = dy·act'(z), read from y
 * (y > 0 exactly where z > 0), and db = Σ dz over all but the channel axis. One pass over the heap
 * where the tape's way is three kernels (Step, Multiply, and a Sum that WASM runs through a
 * transpose); the sum accumulates in float64.
 */
function activationBiasGrad({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const { activation, leakyreluAlpha } = attrs as unknown as ActivationBiasGradAttrs;
  const heap = backend as unknown as WasmHeap;
  const channels = y.shape[y.shape.length - 1];
  const dz = heap.makeOutput(y.shape, 'float32');
  const db = heap.makeOutput([channels], 'float32');
  // Views taken after the allocations, which may grow (and so move) the heap.
  const g = heap.typedArrayFromHeap(dy);
  const out = heap.typedArrayFromHeap(y);
  const dst = heap.typedArrayFromHeap(dz);
  const negative = activation === 'relu' ? 0 : activation === 'leakyrelu' ? leakyreluAlpha : 1;
  const sums = new Float64Array(channels);
  for (let i = 0, ch = 0; i < dst.length; i++) {
    const v = out[i] > 0 ? g[i] : negative * g[i];
    dst[i] = v;
    sums[ch] += v;
    if (++ch === channels) ch = 0;
  }
  heap.typedArrayFromHeap(db).set(sums);
  return [dz, db];
}

export function registerActivationBiasGrad(): void {
  if (!tf.getKernel(ACTIVATION_BIAS_GRAD, 'wasm'))
    tf.registerKernel({ kernelName: ACTIVATION_BIAS_GRAD, backendName: 'wasm', kernelFunc: activationBiasGrad });
}

import type * as tf from '@tensorflow/tfjs-core';
import type { backend_util } from '@tensorflow/tfjs-core';

/** What the lab's WASM kernels need of tfjs-backend-wasm's backend: an output on the heap, and heap views. */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): backend_util.TypedArray;
}

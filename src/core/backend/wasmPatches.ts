import type * as tf from '@tensorflow/tfjs-core';
import type { backend_util } from '@tensorflow/tfjs-core';

/** What the lab's WASM kernels need of tfjs-backend-wasm's backend: an output on the heap, and heap views. */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): backend_util.TypedArray;
}

/**
 * The image patches of a stride-1 convolution, transposed (im2colᵀ): row (a, b, c) of the
 * [KH·KW·C, N·OH·OW] result holds, for every output pixel (n, i, j), the input value its kernel
 * tap (a, b) reads in channel c, x[n, i + a − top, j + b − left, c], or 0 in the padding. The
 * filter gradient is then one plain matmul, patchesᵀ · dy, with no transposed operand (which
 * WASM's matmul handles slowly). A plain loop writing the heap in order.
 */
export function transposedPatches(heap: WasmHeap, x: tf.TensorInfo, info: backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, padInfo } = info;
  const cols = n * oh * ow;
  const out = heap.makeOutput([kh * kw * c, cols], 'float32');
  // Views taken after the allocation, which may grow (and so move) the heap.
  const src = heap.typedArrayFromHeap(x);
  const dst = heap.typedArrayFromHeap(out);
  const { top, left } = padInfo;
  let o = 0;
  for (let a = 0; a < kh; a++)
    for (let b = 0; b < kw; b++) {
      // Output columns j whose tap (·, b) reads inside the image: q = j + b − left ∈ [0, w).
      const jFrom = Math.min(ow, Math.max(0, left - b));
      const jTo = Math.max(jFrom, Math.min(ow, w + left - b));
      for (let ch = 0; ch < c; ch++)
        for (let s = 0; s < n; s++)
          for (let i = 0; i < oh; i++) {
            const p = i + a - top;
            if (p < 0 || p >= h) {
              dst.fill(0, o, o + ow);
              o += ow;
              continue;
            }
            for (let j = 0; j < jFrom; j++) dst[o++] = 0;
            let from = ((s * h + p) * w + jFrom + b - left) * c + ch;
            for (let j = jFrom; j < jTo; j++, from += c) dst[o++] = src[from];
            for (let j = jTo; j < ow; j++) dst[o++] = 0;
          }
    }
  return out;
}

import type * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { WasmHeap } from './wasmHeap';

/**
 * AvgPoolGrad for the WASM backend when the windows tile the image (window = stride, no padding:
 * the lab's 2×2 pooling), where the gradient is a copy: every pixel of a window gets its output's
 * gradient over the window size, pixels past the last whole window get 0. A plain loop over the
 * heap, about 3-6× faster than WASM's general kernel on the lab's shapes (measured in Node); other
 * configurations go to that kernel.
 */
export function tiledAvgPoolGrad(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad } = args.attrs as unknown as tf.AvgPoolGradAttrs;
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
    );
    const { filterHeight: fh, filterWidth: fw, strideHeight, strideWidth, padInfo } = info;
    const tiled =
      fh === strideHeight &&
      fw === strideWidth &&
      padInfo.top === 0 &&
      padInfo.left === 0 &&
      info.outHeight * fh <= info.inHeight &&
      info.outWidth * fw <= info.inWidth &&
      dy.dtype === 'float32' &&
      info.dataFormat === 'channelsLast';
    if (!tiled) return original(args);
    const heap = args.backend as WasmHeap;
    const out = heap.makeOutput(input.shape, 'float32');
    // Views taken after the allocation, which may grow (and so move) the heap.
    const src = heap.typedArrayFromHeap(dy);
    const dst = heap.typedArrayFromHeap(out);
    dst.fill(0);
    const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
    const scale = 1 / (fh * fw);
    for (let n = 0; n < batchSize; n++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          const from = ((n * oh + i) * ow + j) * c;
          for (let a = 0; a < fh; a++)
            for (let b = 0; b < fw; b++) {
              const to = ((n * h + i * fh + a) * w + j * fw + b) * c;
              for (let k = 0; k < c; k++) dst[to + k] = src[from + k] * scale;
            }
        }
    return out;
  };
}

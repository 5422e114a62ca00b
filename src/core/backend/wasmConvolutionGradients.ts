import * as tf from '@tensorflow/tfjs-core';
import { AvgPoolGrad, backend_util, Conv2DBackpropFilter, Conv2DBackpropInput, GatherV2 } from '@tensorflow/tfjs-core';
import { tiledAvgPoolGrad } from './wasmAvgPoolGrad';
import { rowGather } from './wasmGatherRows';

/**
 * The two convolution gradients of the WASM backend, both written as one forward convolution, the
 * kernel WASM runs fast (XNNPACK):
 * - Conv2DBackpropFilter, which tfjs-backend-wasm lacks (so a CNN could not train on WASM):
 *   dW[a,b,c,f] = Σₙᵢⱼ x̂[n,i+a,j+b,c]·dy[n,i,j,f] (x̂ zero-padded) is the convolution of x with
 *   channels and batch swapped, [C,H,W,N], by dy as a filter, [OH,OW,N,F]: its output is
 *   [C,KH,KW,F]; with 8 or more input channels, the roles swapped (filterGradientWithInputAsFilter).
 *   Stride 1 only: refused otherwise, with the configuration named.
 * - Conv2DBackpropInput, which WASM has as a plain loop about 3× slower than this:
 *   dx = dy convolved with the kernel flipped in space and transposed in channels. Configurations
 *   this form does not cover go to the original kernel.
 * Inner kernels are called directly (not through the engine), so a step's profile counts each
 * gradient as one kernel and no tensor outlives the call.
 */

type Info = tf.TensorInfo;
type Backend = tf.KernelBackend;
type Pad = backend_util.PadInfo;

function wasmKernel(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`the WASM backend has no ${name} kernel`);
  return k.kernelFunc;
}

function call(name: string, backend: Backend, inputs: tf.NamedTensorInfoMap, attrs: object): Info {
  return wasmKernel(name)({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as Info;
}

const stridesOf = (s: number | [number, number]) => (typeof s === 'number' ? [s, s] : s);
const isNhwc = (format: unknown) => format === undefined || format === 'NHWC' || format === 'channelsLast';

/** Convolution with stride 1 and explicit padding [top, bottom, left, right]. */
function conv(backend: Backend, x: Info, filter: Info, [t, b, l, r]: number[]): Info {
  const pad = [
    [0, 0],
    [t, b],
    [l, r],
    [0, 0],
  ];
  return call('Conv2D', backend, { x, filter }, { strides: 1, pad, dilations: 1, dataFormat: 'NHWC' });
}

function conv2DBackpropFilter({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): Info {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const [sh, sw] = stridesOf(strides);
  if (sh !== 1 || sw !== 1 || !isNhwc(dataFormat) || x.dtype !== 'float32' || dy.dtype !== 'float32')
    throw new Error(
      `Conv2DBackpropFilter on the WASM backend supports stride 1, NHWC, float32 only; got strides [${sh}, ${sw}], ` +
        `data format ${dataFormat}, ${x.dtype}/${dy.dtype}. Use the CPU or a GPU backend for this model.`,
    );
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    1,
    1,
    pad,
    dimRoundingMode,
  );
  const p: Pad = info.padInfo;
  const b = backend as Backend;
  if (
    info.inChannels >= XNN_TILE &&
    info.padInfo.bottom <= info.filterHeight - 1 &&
    info.padInfo.right <= info.filterWidth - 1
  )
    return filterGradientWithInputAsFilter(b, x, dy, info);
  const xt = call('Transpose', b, { x }, { perm: [3, 1, 2, 0] });
  const dyt = call('Transpose', b, { x: dy }, { perm: [1, 2, 0, 3] });
  const grad = conv(b, xt, dyt, [p.top, p.bottom, p.left, p.right]);
  const dw = call('Transpose', b, { x: grad }, { perm: [1, 2, 0, 3] });
  for (const t of [xt, dyt, grad]) b.disposeData(t.dataId);
  return dw;
}

/**
 * XNNPACK's float GEMM tiles are 8 output channels wide on WASM SIMD: a convolution with fewer
 * output channels wastes most of each tile.
 */
const XNN_TILE = 8;

/**
 * The same gradient with the roles swapped: dy with batch and channels swapped, [F,OH,OW,N],
 * convolved with x as the filter, [H,W,N,C], gives dW flipped in space with channels in front,
 * [F,KH,KW,C]. A convolution's filter is packed anew on every call (it changes every step), and x is
 * the smaller of the two when C < F; but its output has C channels, so this form only pays once C
 * fills an XNNPACK tile. Measured by CPU time in Node for the lab's second layer (64×8×8×8 → 16):
 * 0.71 ms against 0.99 for the form above; for the first (64×16×16×1 → 8) 1.12 against 0.95.
 */
function filterGradientWithInputAsFilter(b: Backend, x: Info, dy: Info, info: backend_util.Conv2DInfo): Info {
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, padInfo: p } = info;
  const dyt = call('Transpose', b, { x: dy }, { perm: [3, 1, 2, 0] });
  const xt = call('Transpose', b, { x }, { perm: [1, 2, 0, 3] });
  // Output row u pairs with kernel row kh − 1 − u: padding chosen so that u runs over the kernel rows.
  const grad = conv(b, dyt, xt, [kh - 1 - p.top, h - oh + p.top, kw - 1 - p.left, w - ow + p.left]);
  const flipped = call('Reverse', b, { x: grad }, { dims: [1, 2] });
  const dw = call('Transpose', b, { x: flipped }, { perm: [1, 2, 3, 0] });
  for (const t of [dyt, xt, grad, flipped]) b.disposeData(t.dataId);
  return dw;
}

function fastConv2DBackpropInput(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const [sh, sw] = stridesOf(strides);
    if (sh !== 1 || sw !== 1 || !isNhwc(dataFormat) || dy.dtype !== 'float32') return original(args);
    const [kh, kw] = filter.shape;
    const p = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      1,
      1,
      pad,
      dimRoundingMode,
    ).padInfo;
    const full = [kh - 1 - p.top, kh - 1 - p.bottom, kw - 1 - p.left, kw - 1 - p.right];
    if (full.some((v) => v < 0)) return original(args);
    const b = backend as Backend;
    const flipped = call('Reverse', b, { x: filter }, { dims: [0, 1] });
    const transposed = call('Transpose', b, { x: flipped }, { perm: [0, 1, 3, 2] });
    const dx = conv(b, dy, transposed, full);
    for (const t of [flipped, transposed]) b.disposeData(t.dataId);
    return dx;
  };
}

let registered = false;

/**
 * Registers both kernels for the WASM backend, once, with the faster average-pooling gradient of
 * wasmAvgPoolGrad.ts (the rest of a CNN's backward pass); call it where the WASM backend is
 * imported. A future tfjs with its own Conv2DBackpropFilter keeps it.
 */
export function registerWasmConvolutionGradients(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel(Conv2DBackpropFilter, 'wasm'))
    tf.registerKernel({ kernelName: Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter });
  replace(Conv2DBackpropInput, fastConv2DBackpropInput);
  replace(AvgPoolGrad, tiledAvgPoolGrad);
  replace(GatherV2, rowGather);
}

/** Puts `faster` in front of WASM's own kernel, which it calls for what it does not cover. */
function replace(name: string, faster: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const own = tf.getKernel(name, 'wasm');
  if (!own) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...own, kernelFunc: faster(own.kernelFunc) });
}

import * as tf from '@tensorflow/tfjs-core';
import { Conv2DBackpropFilter, Conv2DBackpropInput, FusedConv2D } from '@tensorflow/tfjs-core';
import { LEAKY_RELU_SLOPE, type Activation } from './activationNames';
import { activate } from './activation';
import { activationGradient } from './denseStack';

/** The activations tfjs's FusedConv2D applies itself, by the lab's name. */
const FUSED: Partial<Record<Activation, 'relu' | 'leakyrelu'>> = { relu: 'relu', leakyRelu: 'leakyrelu' };

/**
 * act(conv(x, W) + b), a 3×3-or-any stride-1 'same' convolution, as one FusedConv2D kernel where
 * tfjs fuses the activation (ReLU, leaky ReLU; tanh follows as its own op): on WASM (XNNPACK) the
 * bias and the clamp ride in the convolution's output loop, where a plain conv, add and activation
 * are three kernels over the whole feature map, each saved for the backward pass. tf.fused.conv2d
 * would do the same forward but differentiates through a custom gradient that always computes the
 * input gradient, which the first layer of a training step does not need: the kernel is run
 * directly, with the gradient below.
 */
export function convBiasActivation(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  activation: Activation,
): tf.Tensor4D {
  registerFusedConvGradient();
  const fused = FUSED[activation];
  const attrs = {
    strides: 1,
    pad: 'same',
    dataFormat: 'NHWC',
    dilations: 1,
    activation: fused ?? 'linear',
    leakyreluAlpha: LEAKY_RELU_SLOPE,
  };
  const y = tf.engine().runKernel(FusedConv2D, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  return fused ? y : activate(y, activation);
}

const LAB_ACTIVATION: Record<string, Activation | null> = { relu: 'relu', leakyrelu: 'leakyRelu', linear: null };

let registered = false;

/**
 * The gradient of FusedConv2D as the tape uses gradients: one thunk per input, so only those a
 * caller differentiates with respect to run (tfjs registers none: its fused ops carry a custom
 * gradient). dz = dy through the activation from the saved output (denseStack's
 * activationGradient), then the kernels tfjs's own conv2d and bias gradients run: the input and
 * filter gradients of the convolution, and a sum over every position for the bias. Idempotent.
 */
export function registerFusedConvGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: FusedConv2D,
    inputsToSave: ['x', 'filter', 'bias'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, bias, y] = saved;
      const a = attrs as unknown as tf.FusedConv2DAttrs;
      const activation = LAB_ACTIVATION[a.activation];
      const dilations = typeof a.dilations === 'number' ? [a.dilations, a.dilations] : a.dilations;
      if (
        activation === undefined ||
        bias === undefined ||
        dilations.some((d) => d !== 1) ||
        (a.activation === 'leakyrelu' && a.leakyreluAlpha !== LEAKY_RELU_SLOPE)
      )
        throw new Error(
          `The lab's FusedConv2D gradient covers dilation 1, a bias and the activations relu, leakyrelu ` +
            `(slope ${LEAKY_RELU_SLOPE}) and linear; got ${a.activation}, dilations [${dilations.join(', ')}].`,
        );
      const dz = activation ? activationGradient(dy as tf.Tensor, y, activation) : (dy as tf.Tensor);
      const conv = { strides: a.strides, pad: a.pad, dataFormat: a.dataFormat, dimRoundingMode: a.dimRoundingMode };
      return {
        x: () => tf.engine().runKernel(Conv2DBackpropInput, { dy: dz, filter }, { ...conv, inputShape: x.shape }),
        filter: () =>
          tf.engine().runKernel(Conv2DBackpropFilter, { x, dy: dz }, { ...conv, filterShape: filter.shape }),
        bias: () => tf.sum(dz, [0, 1, 2]),
      } as unknown as Record<string, () => tf.Tensor>;
    },
  });
}

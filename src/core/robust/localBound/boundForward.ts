import { featureSize, type BoundModel, type EncoderNet } from './boundNetwork';
import { forwardOp } from './linearOps';
import { activationValue } from './relaxation';

/** φᵐ(x) in float64 from the bound's own copy of the weights. */
export function forwardEncoder(net: EncoderNet, x: ArrayLike<number>): Float64Array {
  let a: Float64Array = Float64Array.from(x);
  for (const layer of net.layers) {
    for (const op of layer.ops) a = forwardOp(op, a);
    for (let i = 0; i < a.length; i++) a[i] = activationValue(layer.activation, a[i]);
  }
  return a;
}

/** Fused logits h(x) = Σₘ Hᵐ φᵐ(xᵐ) + b of one sample, in float64: what the bound bounds. */
export function forwardLogits(model: BoundModel, x: ArrayLike<number>[]): Float64Array {
  const K = model.classes;
  const h = Float64Array.from(model.bias);
  model.encoders.forEach((net, m) => {
    const phi = forwardEncoder(net, x[m]);
    const d = featureSize(net);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += model.head[m][k * d + j] * phi[j];
      h[k] += s;
    }
  });
  return h;
}

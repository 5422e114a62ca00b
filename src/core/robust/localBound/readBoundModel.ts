import * as tf from '@tensorflow/tfjs-core';
import type { Encoder } from '../../model/encoder';
import type { EncoderSpec, MultiModalModel } from '../../model/model';
import type { BoundLayer, BoundModel, EncoderNet, Grid, LinearOp } from './boundNetwork';

/**
 * Reads a model's weights back once into plain float64 arrays (float32 values are exact in
 * float64) for the local bound. The head becomes its affine map: Hᵐ = Wᵐ for the joint head,
 * diag(aᵐ)·W̃ᵐ for the CRMT head with W̃ᵐ exactly as the model applies it (one Newton–Schulz
 * evaluation, here), and b = the fused logits at zero features, which covers every bias layout.
 */
export async function readBoundModel(model: MultiModalModel): Promise<BoundModel> {
  const K = model.spec.classes;
  const encoders: EncoderNet[] = [];
  for (let m = 0; m < model.encoders.length; m++)
    encoders.push(await readEncoder(model.encoders[m], model.spec.encoders[m], model.spec.inputShapes[m], m));
  const rowTensors = tf.tidy(() => model.head.rowMatrices());
  const rows = await Promise.all(rowTensors.map((r) => r.data()));
  rowTensors.forEach((r) => r.dispose());
  const as = model.head.integration();
  const aValues = as ? await Promise.all(as.map((a) => a.data())) : null;
  const head = rows.map((w, m) => {
    const d = model.encoders[m].outDim;
    return Float64Array.from(w, (v, i) => (aValues ? aValues[m][Math.floor(i / d)] * v : v));
  });
  const offset = tf.tidy(
    () => model.head.apply(model.encoders.map((e) => tf.zeros([1, e.outDim]) as tf.Tensor2D)).logits,
  );
  const bias = Float64Array.from(await offset.data());
  offset.dispose();
  return { classes: K, encoders, head, bias };
}

async function readEncoder(encoder: Encoder, spec: EncoderSpec, shape: number[], m: number): Promise<EncoderNet> {
  // Encoder params are named in layer order, each weight followed by its bias (encoder.ts).
  const params = [...encoder.params.values()];
  const values = await Promise.all(params.map((p) => p.data()));
  const take = (i: number, expected: number[], what: string) => {
    const got = params[i]?.shape ?? [];
    if (got.join() !== expected.join())
      throw new Error(`readBoundModel: modality ${m}'s ${what} has shape [${got}], expected [${expected}].`);
    return Float64Array.from(values[i]);
  };
  const layers: BoundLayer[] = [];
  if (spec.kind === 'mlp') {
    let inDim = shape.reduce((a, b) => a * b, 1);
    const input: Grid = { h: 1, w: 1, c: inDim };
    spec.widths.forEach((width, i) => {
      const w = take(2 * i, [inDim, width], `layer ${i} weight`);
      layers.push({
        ops: [denseOp(inDim, width, w, take(2 * i + 1, [width], `layer ${i} bias`))],
        activation: spec.activation,
      });
      inDim = width;
    });
    return { input, layers };
  }
  const [h0, w0, c0 = 1] = shape;
  const input: Grid = { h: h0, w: w0, c: c0 };
  let g = input;
  spec.filters.forEach((f, i) => {
    const ops: LinearOp[] = [];
    if (i > 0) {
      const pool = poolOp(g);
      ops.push(pool);
      g = pool.out;
    }
    const kernel = take(2 * i, [3, 3, g.c, f], `conv ${i} kernel`);
    const bias = take(2 * i + 1, [f], `conv ${i} bias`);
    ops.push({ kind: 'conv3x3', in: g, out: { ...g, c: f }, kernel, bias });
    g = { ...g, c: f };
    layers.push({ ops, activation: spec.activation });
  });
  const pool = poolOp(g);
  const flat = pool.out.h * pool.out.w * pool.out.c;
  const j = 2 * spec.filters.length;
  const dense = denseOp(
    flat,
    spec.outDim,
    take(j, [flat, spec.outDim], 'dense weight'),
    take(j + 1, [spec.outDim], 'dense bias'),
  );
  layers.push({ ops: [pool, { ...dense, in: pool.out }], activation: spec.activation });
  return { input, layers };
}

/** A tfjs [in, out] weight as the [out, in] rows the bound reads. */
function denseOp(inDim: number, outDim: number, w: Float64Array, bias: Float64Array): LinearOp {
  const weight = new Float64Array(inDim * outDim);
  for (let i = 0; i < inDim; i++) for (let o = 0; o < outDim; o++) weight[o * inDim + i] = w[i * outDim + o];
  return { kind: 'dense', in: { h: 1, w: 1, c: inDim }, out: { h: 1, w: 1, c: outDim }, weight, bias };
}

function poolOp(g: Grid): LinearOp {
  return { kind: 'avgPool2', in: g, out: { h: Math.floor(g.h / 2), w: Math.floor(g.w / 2), c: g.c } };
}

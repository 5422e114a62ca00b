import { encodeOnnxModel, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnxProto';
import { LEAKY_RELU_SLOPE } from '../../model/activationNames';
import { graphName } from './inputNames';
import type { PortableModel, Weight } from './portableModel';

export const ONNX_FILE = 'model.onnx';
/** Every operator used here exists unchanged since opset 13 (IR version 7). */
const OPSET = 13;
const IR_VERSION = 7;
export const BATCH = 'batch';

/** The name of modality `input`'s uni-modal logits among the ONNX outputs. */
export const branchOutput = (input: string) => `branch_logits_${input}`;

/**
 * The model as an ONNX graph (opset 13) with the same structure as the Layers model: inputs
 * [batch, features] of raw values per modality, (x − mean) / std, the encoder (CNNs run in NCHW
 * between a Transpose from and back to the lab's NHWC, so the flatten order is the lab's), and the
 * folded head. Outputs: `logits` [batch, K] (fused) and `branch_logits_<input>` [batch, K] per
 * modality (uni-modal logits zᵐ or uᵐ, before integration weights).
 */
export function onnxModelFile(model: PortableModel, producer: string, version: string): Uint8Array {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  // Every tensor gets a name of its own, whatever the modalities are called.
  const taken = new Set(['logits', ...model.inputs.flatMap((i) => [i.name, branchOutput(i.name)])]);
  const constant = (base: string, w: Weight) => {
    const name = graphName(base, taken);
    initializers.push({ name, dims: w.shape, floats: w.data });
    return name;
  };
  const shape = (base: string, dims: number[]) => {
    const name = graphName(base, taken);
    initializers.push({ name, dims: [dims.length], ints: dims });
    return name;
  };
  const op = (type: string, base: string, inputs: string[], attributes?: OnnxAttribute[]) => {
    const name = graphName(base, taken);
    nodes.push({ op: type, name, inputs, outputs: [name], attributes });
    return name;
  };
  const activate = (x: string) => {
    switch (model.activation) {
      case 'relu':
        return op('Relu', `${x}_relu`, [x]);
      case 'tanh':
        return op('Tanh', `${x}_tanh`, [x]);
      case 'leakyRelu':
        return op('LeakyRelu', `${x}_leaky`, [x], [{ name: 'alpha', f: LEAKY_RELU_SLOPE }]);
    }
  };
  const dense = (x: string, base: string, w: { kernel: Weight; bias: Weight | null }) => {
    const y = op('MatMul', `${base}_matmul`, [x, constant(`${base}_kernel`, w.kernel)]);
    return w.bias ? op('Add', `${base}_add`, [y, constant(`${base}_bias`, w.bias)]) : y;
  };

  const features = model.inputs.map((input) => {
    const p = input.name;
    const centred = op('Sub', `${p}_centred`, [
      p,
      constant(`${p}_mean`, { shape: [input.features], data: input.mean }),
    ]);
    let h = op('Div', `${p}_standardised`, [
      centred,
      constant(`${p}_std`, { shape: [input.features], data: input.std }),
    ]);
    const e = input.encoder;
    if (e.kind === 'mlp') {
      e.layers.forEach((l, i) => (h = activate(dense(h, `${p}_dense${i}`, l))));
      return h;
    }
    const [H, W, C] = e.image;
    h = op('Reshape', `${p}_nhwc`, [h, shape(`${p}_image_shape`, [-1, H, W, C])]);
    h = op('Transpose', `${p}_nchw`, [h], [{ name: 'perm', ints: [0, 3, 1, 2] }]);
    e.convs.forEach((c, i) => {
      const [kh, kw] = c.kernel.shape;
      const conv = op(
        'Conv',
        `${p}_conv${i}`,
        [h, constant(`${p}_conv${i}_kernel`, toOihw(c.kernel)), constant(`${p}_conv${i}_bias`, c.bias)],
        [
          { name: 'kernel_shape', ints: [kh, kw] },
          // 'same' for odd kernels at stride 1.
          { name: 'pads', ints: [(kh - 1) / 2, (kw - 1) / 2, (kh - 1) / 2, (kw - 1) / 2] },
          { name: 'strides', ints: [1, 1] },
        ],
      );
      h = op(
        'AveragePool',
        `${p}_pool${i}`,
        [activate(conv)],
        [
          { name: 'kernel_shape', ints: [2, 2] },
          { name: 'strides', ints: [2, 2] },
        ],
      );
    });
    h = op('Transpose', `${p}_pooled_nhwc`, [h], [{ name: 'perm', ints: [0, 2, 3, 1] }]);
    h = op('Reshape', `${p}_flat`, [h, shape(`${p}_flat_shape`, [-1, e.dense.kernel.shape[0]])]);
    return activate(dense(h, `${p}_dense`, e.dense));
  });
  const joined = op('Concat', 'features', features, [{ name: 'axis', i: 1 }]);
  const fused = dense(joined, 'head', model.fused);
  nodes.push({ op: 'Identity', name: 'logits_out', inputs: [fused], outputs: ['logits'] });
  model.branches.forEach((b, m) => {
    const out = dense(features[m], `branch_${model.inputs[m].name}`, b);
    nodes.push({ op: 'Identity', name: `${out}_out`, inputs: [out], outputs: [branchOutput(model.inputs[m].name)] });
  });

  const K = model.classes.length;
  return encodeOnnxModel({
    irVersion: IR_VERSION,
    opset: OPSET,
    producer,
    producerVersion: version,
    doc: "A CRMT Lab model: raw inputs per modality, standardised inside; fused logits and each branch's logits.",
    graph: {
      name: 'crmt_lab_model',
      nodes,
      initializers,
      inputs: model.inputs.map((i) => ({
        name: i.name,
        dims: [BATCH, i.features],
        doc: `${i.modality}: raw values, shape [${i.shape.join(', ')}] flattened in row-major (NHWC) order`,
      })),
      outputs: [
        { name: 'logits', dims: [BATCH, K], doc: 'fused logits' },
        ...model.inputs.map((i) => ({
          name: branchOutput(i.name),
          dims: [BATCH, K],
          doc: `${i.modality}'s uni-modal logits`,
        })),
      ],
    },
    metadata: { classes: JSON.stringify(model.classes) },
  });
}

/** [kh, kw, in, out] → ONNX's [out, in, kh, kw]. */
function toOihw(w: Weight): Weight {
  const [kh, kw, cin, cout] = w.shape;
  const data = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          data[((o * cin + i) * kh + y) * kw + x] = w.data[((y * kw + x) * cin + i) * cout + o];
  return { shape: [cout, cin, kh, kw], data };
}

import { LEAKY_RELU_SLOPE, type Activation } from '../../model/activationNames';
import { graphName } from './inputNames';
import type { PortableModel, Weight } from './portableModel';

export const LAYERS_MODEL_FILE = 'model.json';
export const LAYERS_WEIGHTS_FILE = 'model.weights.bin';

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  name: string;
  inbound_nodes: [string, number, number, Record<string, never>][][];
}

/**
 * The model as a TensorFlow.js Layers model (`tf.loadLayersModel`), written as plain JSON so the
 * lab needs no Layers API: one input per modality ([n, features], raw values), a
 * BatchNormalization with the training statistics and ε = 0 (= (x − mean) / std), the encoder
 * (Dense, or Reshape → (Conv2D 'same' → AveragePooling2D)ⁿ → Flatten → Dense), and the head as
 * one Dense layer on the concatenated features with W̃ᵐᵀ·diag(aᵐ) folded in. One output: the
 * fused logits.
 */
export function layersModelFiles(model: PortableModel, producer: string): Record<string, Uint8Array> {
  const taken = new Set(model.inputs.map((i) => i.name));
  const layers: LayerJson[] = [];
  const weights: { name: string; w: Weight }[] = [];
  const add = (className: string, base: string, config: Record<string, unknown>, from: string | string[]) => {
    const name = graphName(base, taken);
    const inbound = (Array.isArray(from) ? from : [from]).map(
      (f) => [f, 0, 0, {}] as [string, number, number, Record<string, never>],
    );
    layers.push({
      class_name: className,
      config: { ...config, name, trainable: true },
      name,
      inbound_nodes: [inbound],
    });
    return name;
  };
  const weight = (layer: string, kind: string, w: Weight) => weights.push({ name: `${layer}/${kind}`, w });
  const act = model.activation;
  const inline = act === 'leakyRelu' ? 'linear' : act;
  // Keras has no leaky ReLU activation string, only the layer.
  const afterActivation = (name: string, base: string) =>
    act === 'leakyRelu' ? add('LeakyReLU', `${base}_act`, { alpha: LEAKY_RELU_SLOPE }, name) : name;
  const dense = (
    base: string,
    w: { kernel: Weight; bias: Weight | null },
    from: string,
    activation: Activation | 'linear',
  ) => {
    const name = add(
      'Dense',
      base,
      { units: w.kernel.shape[1], activation, use_bias: w.bias !== null, ...INITIALISERS },
      from,
    );
    weight(name, 'kernel', w.kernel);
    if (w.bias) weight(name, 'bias', w.bias);
    return name;
  };

  const features = model.inputs.map((input) => {
    layers.push({
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, input.features], dtype: 'float32', sparse: false, name: input.name },
      name: input.name,
      inbound_nodes: [],
    });
    const std = add(
      'BatchNormalization',
      `${input.name}_standardise`,
      { axis: -1, momentum: 0.99, epsilon: 0, center: false, scale: false },
      input.name,
    );
    weight(std, 'moving_mean', { shape: [input.features], data: input.mean });
    weight(std, 'moving_variance', {
      shape: [input.features],
      data: input.std.map((s) => s * s),
    });
    let h = std;
    const e = input.encoder;
    if (e.kind === 'mlp') {
      e.layers.forEach(
        (l, i) => (h = afterActivation(dense(`${input.name}_dense${i}`, l, h, inline), `${input.name}_dense${i}`)),
      );
      return h;
    }
    h = add('Reshape', `${input.name}_image`, { target_shape: e.image }, h);
    e.convs.forEach((c, i) => {
      const conv = add(
        'Conv2D',
        `${input.name}_conv${i}`,
        {
          filters: c.kernel.shape[3],
          kernel_size: [c.kernel.shape[0], c.kernel.shape[1]],
          strides: [1, 1],
          padding: 'same',
          data_format: 'channels_last',
          dilation_rate: [1, 1],
          activation: inline,
          use_bias: true,
          ...INITIALISERS,
        },
        h,
      );
      weight(conv, 'kernel', c.kernel);
      weight(conv, 'bias', c.bias);
      h = add(
        'AveragePooling2D',
        `${input.name}_pool${i}`,
        { pool_size: [2, 2], strides: [2, 2], padding: 'valid', data_format: 'channels_last' },
        afterActivation(conv, conv),
      );
    });
    // Flatten keeps NHWC order, the order of the lab's reshape.
    h = add('Flatten', `${input.name}_flatten`, { data_format: 'channels_last' }, h);
    return afterActivation(dense(`${input.name}_dense`, e.dense, h, inline), `${input.name}_dense`);
  });
  const joined = add('Concatenate', 'features', { axis: -1 }, features);
  const logits = dense('logits', model.fused, joined, 'linear');

  const bin = concatenate(weights.map((w) => w.w.data));
  const topology = {
    format: 'layers-model',
    generatedBy: producer,
    convertedBy: null,
    modelTopology: {
      class_name: 'Model',
      config: {
        name: 'crmt_lab_model',
        layers,
        input_layers: model.inputs.map((i) => [i.name, 0, 0]),
        output_layers: [[logits, 0, 0]],
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: [LAYERS_WEIGHTS_FILE],
        weights: weights.map((w) => ({ name: w.name, shape: w.w.shape, dtype: 'float32' })),
      },
    ],
  };
  return {
    [LAYERS_MODEL_FILE]: new TextEncoder().encode(JSON.stringify(topology, null, 1) + '\n'),
    [LAYERS_WEIGHTS_FILE]: bin,
  };
}

const INITIALISERS = {
  kernel_initializer: { class_name: 'Zeros', config: {} },
  bias_initializer: { class_name: 'Zeros', config: {} },
};

export function concatenate(parts: Float32Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return out;
}

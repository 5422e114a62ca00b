import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../model/activationNames';
import { inputSize, type MultiModalModel } from '../../model/model';
import type { Standardisation } from '../../data/standardise';
import { inputNames } from './inputNames';

/** A float32 matrix or kernel in the lab's (TensorFlow.js) layout: Dense [in, out], Conv2D [kh, kw, in, out]. */
export interface Weight {
  shape: number[];
  data: Float32Array;
}

export type PortableEncoder =
  | { kind: 'mlp'; layers: { kernel: Weight; bias: Weight }[] }
  | {
      kind: 'cnn';
      /** [H, W, C]: rows are flattened in this (NHWC) order. */
      image: [number, number, number];
      /** 3×3 'same' convolutions, each followed by the activation and 2×2 average pooling. */
      convs: { kernel: Weight; bias: Weight }[];
      /** After flattening the last pooled map in NHWC order. */
      dense: { kernel: Weight; bias: Weight };
    };

export interface PortableInput {
  /** The modality's name in the lab. */
  modality: string;
  /** Its input's name in the exported graphs (letters, digits and _ only). */
  name: string;
  /** Features per sample: rows are [n, features]. */
  features: number;
  /** The modality's shape as the lab reads it ([2], [16, 16] …). */
  shape: number[];
  mean: Float32Array;
  std: Float32Array;
  encoder: PortableEncoder;
}

/**
 * A trained model as plain arrays, for writers of other formats. The head is folded: W̃ᵐ is
 * computed here by the lab's own ops (so the exported logits are the lab's), and the fused
 * logits are one linear layer on the concatenated features: kernel [Σdₘ, K] stacking
 * W̃ᵐᵀ·diag(aᵐ) (CRMT head) or Wᵐ (joint head), bias b (or Σₘ bᵐ for the uni-modal ensemble).
 * `branches` give each modality's uni-modal logits (zᵐ or uᵐ, unscaled).
 */
export interface PortableModel {
  inputs: PortableInput[];
  activation: Activation;
  classes: string[];
  fused: { kernel: Weight; bias: Weight };
  branches: { kernel: Weight; bias: Weight | null }[];
}

/**
 * Reads a trained model out for the writers. `params` are the model's parameters as the export
 * already read them (the lab's layouts), so the only work on the device is W̃ᵐ, computed by the
 * head exactly as in training (the same kernels) and read back once per modality.
 */
export async function portableModel(
  model: MultiModalModel,
  params: ReadonlyMap<string, Weight>,
  standardisation: Standardisation,
  modalities: string[],
  classes: string[],
): Promise<PortableModel> {
  const spec = model.spec;
  const names = inputNames(modalities);
  const param = (name: string): Weight => {
    const w = params.get(name);
    if (!w) throw new Error(`The model has no parameter ${name}`);
    return w;
  };
  const layer = (w: string, b: string) => ({ kernel: param(w), bias: param(b) });
  const inputs = spec.inputShapes.map((shape, m): PortableInput => {
    const e = spec.encoders[m];
    const encoder: PortableEncoder =
      e.kind === 'mlp'
        ? { kind: 'mlp', layers: e.widths.map((_, i) => layer(`enc${m}.l${i}.weight`, `enc${m}.l${i}.bias`)) }
        : {
            kind: 'cnn',
            image: [shape[0], shape[1], shape[2] ?? 1],
            convs: e.filters.map((_, i) => layer(`enc${m}.conv${i}.weight`, `enc${m}.conv${i}.bias`)),
            dense: layer(`enc${m}.dense.weight`, `enc${m}.dense.bias`),
          };
    return {
      modality: modalities[m] ?? `modality ${m}`,
      name: names[m],
      features: inputSize(shape),
      shape: shape.slice(),
      mean: Float32Array.from(standardisation.mean[m]),
      std: Float32Array.from(standardisation.std[m]),
      encoder,
    };
  });
  const activations = new Set(spec.encoders.map((e) => e.activation));
  if (activations.size !== 1) throw new Error('Every encoder of an exported model must use the same activation.');
  return {
    inputs,
    activation: spec.encoders[0].activation,
    classes,
    ...foldedHead(spec.classes, await branchKernels(model, params), params),
  };
}

/** Per modality, the [dₘ, K] map from features to uni-modal logits: Wᵐ as trained, or W̃ᵐᵀ computed by the head. */
async function branchKernels(model: MultiModalModel, params: ReadonlyMap<string, Weight>): Promise<Weight[]> {
  const M = model.spec.inputShapes.length;
  if (model.head.kind === 'joint') return Array.from({ length: M }, (_, m) => params.get(`head.w${m}`)!);
  const rows = tf.tidy(() => model.head.rowMatrices());
  try {
    return await Promise.all(
      rows.map(async (r) => {
        const [K, d] = r.shape;
        const data = await r.data();
        const kernel = new Float32Array(d * K);
        for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) kernel[j * K + k] = data[k * d + j];
        return { shape: [d, K], data: kernel };
      }),
    );
  } finally {
    tf.dispose(rows);
  }
}

/**
 * The head as one linear map on the concatenated features: kernel [Σdₘ, K] stacking W̃ᵐᵀ·diag(aᵐ)
 * (each entry one float32 product, as the lab's a ⊙ z) or Wᵐ, bias b or Σₘ bᵐ; and per modality
 * the [dₘ, K] kernel of the uni-modal logits with its bias (the uni-modal ensemble's bᵐ).
 */
function foldedHead(K: number, kernels: Weight[], params: ReadonlyMap<string, Weight>) {
  const integration = (m: number) => params.get(`head.a${m}`)?.data ?? null;
  const branches = kernels.map((kernel, m) => ({ kernel, bias: params.get(`head.bias${m}`) ?? null }));
  const total = branches.reduce((n, b) => n + b.kernel.shape[0], 0);
  const fused = new Float32Array(total * K);
  let row = 0;
  branches.forEach((b, m) => {
    const a = integration(m);
    const d = b.kernel.shape[0];
    for (let j = 0; j < d; j++)
      for (let k = 0; k < K; k++)
        fused[(row + j) * K + k] = a ? Math.fround(b.kernel.data[j * K + k] * a[k]) : b.kernel.data[j * K + k];
    row += d;
  });
  const shared = params.get('head.bias');
  const bias = shared ?? {
    shape: [K],
    // Σₘ bᵐ in float32, in modality order (the lab sums the branches' biased logits instead).
    data: branches.reduce((acc, b) => acc.map((x, k) => Math.fround(x + b.bias!.data[k])), new Float32Array(K)),
  };
  return { fused: { kernel: { shape: [total, K], data: fused }, bias }, branches };
}

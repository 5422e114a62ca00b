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

async function read(t: tf.Tensor): Promise<Weight> {
  return { shape: t.shape.slice(), data: Float32Array.from(await t.data()) };
}

/** Reads a trained model out (asynchronously: WebGPU reads back only that way). */
export async function portableModel(
  model: MultiModalModel,
  standardisation: Standardisation,
  modalities: string[],
  classes: string[],
): Promise<PortableModel> {
  const spec = model.spec;
  const names = inputNames(modalities);
  const param = async (name: string) => {
    const v = model.params.get(name);
    if (!v) throw new Error(`The model has no parameter ${name}`);
    return read(v);
  };
  const layer = async (w: string, b: string) => ({ kernel: await param(w), bias: await param(b) });
  const inputs: PortableInput[] = [];
  for (const [m, shape] of spec.inputShapes.entries()) {
    const e = spec.encoders[m];
    const encoder: PortableEncoder =
      e.kind === 'mlp'
        ? {
            kind: 'mlp',
            layers: await Promise.all(e.widths.map((_, i) => layer(`enc${m}.l${i}.weight`, `enc${m}.l${i}.bias`))),
          }
        : {
            kind: 'cnn',
            image: [shape[0], shape[1], shape[2] ?? 1],
            convs: await Promise.all(
              e.filters.map((_, i) => layer(`enc${m}.conv${i}.weight`, `enc${m}.conv${i}.bias`)),
            ),
            dense: await layer(`enc${m}.dense.weight`, `enc${m}.dense.bias`),
          };
    inputs.push({
      modality: modalities[m] ?? `modality ${m}`,
      name: names[m],
      features: inputSize(shape),
      shape: shape.slice(),
      mean: Float32Array.from(standardisation.mean[m]),
      std: Float32Array.from(standardisation.std[m]),
      encoder,
    });
  }
  const activations = new Set(spec.encoders.map((e) => e.activation));
  if (activations.size !== 1) throw new Error('Every encoder of an exported model must use the same activation.');
  return { inputs, activation: spec.encoders[0].activation, classes, ...(await foldedHead(model)) };
}

async function foldedHead(model: MultiModalModel): Promise<Pick<PortableModel, 'fused' | 'branches'>> {
  const K = model.spec.classes;
  const M = model.spec.inputShapes.length;
  // Only the joint head of the uni-modal ensemble has one bias per modality.
  const branchBias = (m: number) => model.params.get(`head.bias${m}`);
  const [fusedKernel, fusedBias, ...branchKernels] = tf.tidy(() => {
    const head = model.head;
    // Per modality, [dₘ, K]: the map from features to uni-modal logits (W̃ᵐᵀ or Wᵐ).
    const kernels = head.rowMatrices().map((r) => tf.transpose(r));
    const a = head.integration();
    const fused = tf.concat(
      kernels.map((w, m) => (a ? tf.mul(w, tf.reshape(a[m], [1, K])) : w)),
      0,
    );
    const shared = model.params.get('head.bias');
    const bias = shared ? tf.clone(shared) : tf.addN(Array.from({ length: M }, (_, m) => branchBias(m)!));
    return [fused, bias, ...kernels];
  });
  try {
    return {
      fused: { kernel: await read(fusedKernel), bias: await read(fusedBias) },
      branches: await Promise.all(
        branchKernels.map(async (w, m) => {
          const b = branchBias(m);
          return { kernel: await read(w), bias: b ? await read(b) : null };
        }),
      ),
    };
  } finally {
    tf.dispose([fusedKernel, fusedBias, ...branchKernels]);
  }
}

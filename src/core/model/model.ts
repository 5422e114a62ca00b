import * as tf from '@tensorflow/tfjs-core';
// Gradients and chained tensor methods: every use of the engine goes through a model.
import '#tf-setup';
import { createRng } from '../random';
import { createCnnEncoder, type CnnEncoderSpec } from './cnnEncoder';
import { assertCrmtDims, createCrmtHead, type HeadRows } from './crmtHead';
import type { Encoder } from './encoder';
import type { Head, HeadKind, HeadOutput } from './head';
import { createJointHead } from './jointHead';
import { registerMatMulGradient } from './matMulGradient';
import { createMlpEncoder, type MlpEncoderSpec } from './mlpEncoder';
import { checkModelSize } from './modelSize';

export type EncoderSpec = MlpEncoderSpec | CnnEncoderSpec;

export interface HeadSpec {
  kind: HeadKind;
  /** CRMT head only. */
  rows?: HeadRows;
  /** Joint head only: one bias per modality (the uni-modal ensemble). */
  perModalityBias?: boolean;
}

export interface ModelSpec {
  /** Shape of one sample per modality. */
  inputShapes: number[][];
  classes: number;
  encoders: EncoderSpec[];
  head: HeadSpec;
  seed: number;
}

export interface ForwardOutput extends HeadOutput {
  features: tf.Tensor2D[];
}

export interface MultiModalModel {
  readonly spec: ModelSpec;
  readonly encoders: Encoder[];
  readonly head: Head;
  /** Every trainable variable by name, encoders first. */
  readonly params: Map<string, tf.Variable>;
  forward(inputs: tf.Tensor2D[]): ForwardOutput;
  dispose(): void;
}

export const inputSize = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function createModel(spec: ModelSpec): MultiModalModel {
  const M = spec.inputShapes.length;
  if (M < 2) throw new Error('A multi-modal model needs at least two modalities.');
  if (spec.encoders.length !== M) throw new Error(`Got ${spec.encoders.length} encoder specs for ${M} modalities.`);
  if (spec.head.kind === 'crmt') {
    // Checked before any variable exists, so a refused spec leaks nothing.
    const dims = spec.encoders.map((e) => (e.kind === 'mlp' ? (e.widths.at(-1) ?? 0) : e.outDim));
    assertCrmtDims(dims, spec.classes);
  }
  checkModelSize(spec);
  registerMatMulGradient();
  const rng = createRng(spec.seed);
  const encoders = spec.inputShapes.map((shape, m) => {
    const e = spec.encoders[m];
    return e.kind === 'mlp'
      ? createMlpEncoder(`enc${m}`, inputSize(shape), e, rng)
      : createCnnEncoder(`enc${m}`, shape, e, rng);
  });
  const dims = encoders.map((e) => e.outDim);
  const head =
    spec.head.kind === 'crmt'
      ? createCrmtHead(dims, spec.classes, spec.head.rows ?? 'orthonormal', rng)
      : createJointHead(dims, spec.classes, rng, spec.head.perModalityBias ?? false);
  return assembleModel(spec, encoders, head);
}

/** The model of these parts: one encoder per modality, then the head. (createModel checks the spec first.) */
export function assembleModel(spec: ModelSpec, encoders: Encoder[], head: Head): MultiModalModel {
  const params = new Map<string, tf.Variable>();
  for (const part of [...encoders, head]) for (const [k, v] of part.params) params.set(k, v);
  return {
    spec,
    encoders,
    head,
    params,
    forward: (inputs) => {
      const features = inputs.map((x, m) => encoders[m].apply(x));
      return { features, ...head.apply(features) };
    },
    dispose: () => params.forEach((v) => v.dispose()),
  };
}

import * as tf from '@tensorflow/tfjs';
import { createRng } from '../random';
import { createJointHead, type Head, type HeadOutput } from './jointHead';
import { createMlpEncoder, type Encoder, type MlpEncoderSpec } from './mlpEncoder';

export interface ModelSpec {
  inputDims: number[];
  classes: number;
  encoders: MlpEncoderSpec[];
  head: 'joint';
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

export function createModel(spec: ModelSpec): MultiModalModel {
  if (spec.inputDims.length < 2) throw new Error('A multi-modal model needs at least two modalities.');
  if (spec.encoders.length !== spec.inputDims.length)
    throw new Error(`Got ${spec.encoders.length} encoder specs for ${spec.inputDims.length} modalities.`);
  const rng = createRng(spec.seed);
  const encoders = spec.inputDims.map((d, m) => createMlpEncoder(`enc${m}`, d, spec.encoders[m], rng));
  const head = createJointHead(
    encoders.map((e) => e.outDim),
    spec.classes,
    rng,
  );
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

import * as tf from '@tensorflow/tfjs-core';

/** Adam's constants as the float32 values a scalar kernel input holds, and tf.train.adam's defaults. */
export interface AdamConstants {
  beta1: number;
  beta2: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  epsilon: number;
  negLr: number;
}

/** One source for FusedAdam's scalars and HostAdam's numbers, so both step bit-identically. */
export function adamConstants(
  learningRate: number,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon = tf.backend().epsilon(),
): AdamConstants {
  const f32 = Math.fround;
  return {
    beta1: f32(beta1),
    beta2: f32(beta2),
    oneMinusBeta1: f32(1 - beta1),
    oneMinusBeta2: f32(1 - beta2),
    epsilon: f32(epsilon),
    negLr: f32(-learningRate),
  };
}

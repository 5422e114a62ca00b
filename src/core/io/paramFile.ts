import * as tf from '@tensorflow/tfjs-core';
import { DataError } from '../data/dataError';
import type { MultiModalModel } from '../model/model';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

/**
 * A model's parameters as one safetensors file in the lab's own layouts, for what the run store
 * keeps beside the exported model (a UMT run's teachers, which a run needs to continue).
 */
export async function paramFile(model: MultiModalModel): Promise<Uint8Array> {
  const tensors = await Promise.all(
    [...model.params].map(async ([name, v]) => ({ name, shape: v.shape, data: (await v.data()) as Float32Array })),
  );
  return encodeSafetensors(tensors);
}

/** Sets every parameter of `model` from a file `paramFile` wrote for a model of the same spec. */
export function loadParamFile(model: MultiModalModel, name: string, bytes: Uint8Array): void {
  const { tensors } = decodeSafetensors(name, bytes);
  for (const [key, v] of model.params) {
    const t = tensors.get(key);
    if (!t || t.shape.join() !== v.shape.join())
      throw new DataError(
        `${name}: ${key} is ${t ? `[${t.shape.join(', ')}]` : 'missing'}, not [${v.shape.join(', ')}]`,
      );
  }
  for (const [key, v] of model.params) tf.tidy(() => v.assign(tf.tensor(tensors.get(key)!.data, v.shape, 'float32')));
}

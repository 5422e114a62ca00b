import type * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';
import { certifiedAccuracy, certifiedRadius, median, type Radii } from './certify';
import { certifiedConstants, estimatedConstants, type BoundKind, type LipschitzConstants } from './lipschitz';
import type { ModelOutputs } from './modelOutputs';

export interface CertifiedPoint {
  /** `sound`: a guarantee (certified τ); `estimated`: the paper's practice, not a guarantee. */
  bound: 'sound' | 'estimated';
  /** A modality name (only it attacked) or `all` (joint ℓ2 over every modality). */
  target: string;
  eps: number;
  acc: number;
}

export interface Certification {
  constants: Record<BoundKind, LipschitzConstants>;
  radii: Record<BoundKind, Radii>;
  points: CertifiedPoint[];
  medianRadius: { sound: number; estimated: number };
}

export const boundLabel = (k: BoundKind): CertifiedPoint['bound'] => (k === 'certified' ? 'sound' : 'estimated');

/**
 * Radii and certified accuracy of both kinds for a split whose outputs were collected, with the
 * estimated constants taken over the training inputs (spec §5, §6).
 */
export async function certify(
  model: MultiModalModel,
  outputs: ModelOutputs,
  labels: Int32Array,
  trainX: tf.Tensor2D[],
  modalities: string[],
  eps: number[],
): Promise<Certification> {
  const constants = {
    certified: await certifiedConstants(model),
    estimated: await estimatedConstants(model, trainX),
  };
  const radii = {
    certified: certifiedRadius(outputs.logits, labels, constants.certified.pair, outputs.K),
    estimated: certifiedRadius(outputs.logits, labels, constants.estimated.pair, outputs.K),
  };
  const points: CertifiedPoint[] = [];
  for (const kind of ['certified', 'estimated'] as const) {
    const r = radii[kind];
    const targets: [string, Float64Array][] = [
      ['all', r.joint],
      ...modalities.map((m, i) => [m, r.perModality[i]] as [string, Float64Array]),
    ];
    for (const [target, values] of targets)
      certifiedAccuracy(values, eps).forEach((acc, i) =>
        points.push({ bound: boundLabel(kind), target, eps: eps[i], acc }),
      );
  }
  return {
    constants,
    radii,
    points,
    medianRadius: { sound: median(radii.certified.joint), estimated: median(radii.estimated.joint) },
  };
}

import type * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';
import type { AttackSettings } from '../config';
import { attackAccuracy, attackSpec, missingSpec, type AttackKind } from './attacks';

export interface AttackTarget {
  /** A modality name, several joined by '+', or `all`. */
  name: string;
  mask: boolean[];
}

export interface RobustPoint {
  attack: AttackKind;
  target: string;
  /** null for the missing-modality attacks, which have no budget. */
  eps: number | null;
  acc: number;
}

/** Each modality alone, then all of them together. */
export function standardTargets(modalities: string[]): AttackTarget[] {
  return [
    ...modalities.map((name, m) => ({ name, mask: modalities.map((_, j) => j === m) })),
    { name: 'all', mask: modalities.map(() => true) },
  ];
}

/** Accuracy against ε for one attack on each target (spec §9): one batched pass per (target, ε). */
export async function robustnessCurve(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  kind: AttackKind,
  targets: AttackTarget[],
  eps: number[],
  settings: AttackSettings,
  seed = 0,
): Promise<RobustPoint[]> {
  const out: RobustPoint[] = [];
  for (const t of targets)
    for (const e of eps)
      out.push({
        attack: kind,
        target: t.name,
        eps: e,
        acc: await attackAccuracy(model, xs, y, attackSpec(kind, t.mask, e, settings, seed)),
      });
  return out;
}

/** Both missing-modality modes for each single modality (dropping all of them leaves only the bias). */
export async function missingModality(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  modalities: string[],
): Promise<RobustPoint[]> {
  const out: RobustPoint[] = [];
  for (const kind of ['missing-mean', 'missing-drop'] as const)
    for (const t of standardTargets(modalities).filter((t) => t.name !== 'all'))
      out.push({
        attack: kind,
        target: t.name,
        eps: null,
        acc: await attackAccuracy(model, xs, y, missingSpec(kind, t.mask)),
      });
  return out;
}

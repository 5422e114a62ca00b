import * as tf from '@tensorflow/tfjs-core';
import type { AttackSettings } from '../core/config';
import type { MultiModalModel } from '../core/model/model';
import type { AttackKind } from '../core/robust/attackKinds';
import { attackAccuracy, attackSpec } from '../core/robust/attacks';
import type { EpochAttack } from '../core/train/snapshot';

/** The attack the page has switched on: evaluated after every epoch while it stays on. */
export interface WatchedAttack {
  kind: AttackKind;
  targets: boolean[];
  eps: number;
}

const SLICE = 256;

/**
 * Validation accuracy under the watched attack, a slice of samples at a time: every read-back in
 * between lets the worker take Pause. Each sample is attacked on its own, so deterministic
 * attacks (FGM, PGD without a random start, missing modality) give attackAccuracy's own number;
 * random starts and Gaussian noise draw per slice (the slice's index is the seed).
 */
export async function epochAttack(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  modalities: string[],
  w: WatchedAttack,
  /** The experiment's attack settings (PGD steps, restarts, budget), as the attack panel uses them. */
  settings: AttackSettings,
): Promise<EpochAttack> {
  const n = y.shape[0];
  let correct = 0;
  for (let start = 0, b = 0; start < n; start += SLICE, b++) {
    const size = Math.min(SLICE, n - start);
    const xb = xs.map((x) => x.slice([start, 0], [size, -1]));
    const yb = y.slice(start, size);
    try {
      correct += Math.round(
        size * (await attackAccuracy(model, xb, yb, attackSpec(w.kind, w.targets, w.eps, settings, b))),
      );
    } finally {
      tf.dispose([...xb, yb]);
    }
  }
  return {
    kind: w.kind,
    targets: modalities.filter((_, m) => w.targets[m]),
    eps: w.eps,
    accuracy: n > 0 ? correct / n : NaN,
  };
}

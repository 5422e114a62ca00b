import * as tf from '@tensorflow/tfjs-core';
import type { AttackSettings } from '../core/config';
import type { MultiModalModel } from '../core/model/model';
import type { AttackKind } from '../core/robust/attackKinds';
import { attackAccuracy, attackSpec, drawsRandomly } from '../core/robust/attacks';
import type { EpochAttack } from '../core/train/snapshot';

/** The attack the page has switched on: evaluated after every epoch while it stays on. */
export interface WatchedAttack {
  kind: AttackKind;
  targets: boolean[];
  eps: number;
}

/** A random attack draws per slice of this many samples (the slice's index is its seed): its numbers depend on it. */
const SEEDED_SLICE = 256;
/**
 * A deterministic attack's numbers do not depend on the slicing, so it goes in smaller slices: a
 * 256-sample slice of the lab's PGD (20 steps) on the 15-class, 3-modality upload held the worker
 * for 50–100 ms of CPU, and Pause waits for the slice in progress.
 */
const SLICE = 64;

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
  const slice = drawsRandomly(attackSpec(w.kind, w.targets, w.eps, settings)) ? SEEDED_SLICE : SLICE;
  let correct = 0;
  for (let start = 0, b = 0; start < n; start += slice, b++) {
    const size = Math.min(slice, n - start);
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

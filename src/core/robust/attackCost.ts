import type * as tf from '@tensorflow/tfjs-core';
import type { AttackSettings } from '../config';
import type { MultiModalModel } from '../model/model';
import { attackAccuracy, attackSpec } from './attacks';
import { ViewStopped } from './attackView';

/**
 * Which modality is cheaper to attack, measured (spec §10): the ε at which PGD-ℓ2 on that
 * modality alone halves the clean accuracy, found by doubling ε from FIRST_EPS until accuracy is
 * at most half the clean accuracy, then bisecting. The sound and local radii answer the same question
 * as bounds (2–5× and about 1.1–2.3× below an attack's first flip on the MLP models, docs/LOCAL-BOUND.md
 * §8); this is what an attacker actually needs.
 */
export interface AttackCost {
  attack: 'pgd-l2';
  /** Accuracy the attack must bring each modality down to: half the clean accuracy. */
  targetAccuracy: number;
  /** Per modality, the ε (standardised units) that halves accuracy; null when even MAX_EPS does not. */
  halvingEps: (number | null)[];
  /** The same ε per feature, ε/√dₘ: the RMS perturbation of each standardised feature, comparable across dimensions. */
  halvingEpsPerFeature: (number | null)[];
  /** The modality with the smallest halving ε, in total and per feature (null when none was reached). */
  cheapest: string | null;
  cheapestPerFeature: string | null;
}

const FIRST_EPS = 0.125;
const MAX_EPS = 64;
const BISECTIONS = 6;
/** How the search runs, for whoever shows its result (the page says what was measured). */
export const ATTACK_COST_SEARCH = { firstEps: FIRST_EPS, maxEps: MAX_EPS, bisections: BISECTIONS } as const;

export async function attackCost(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  modalities: string[],
  clean: number,
  settings: AttackSettings,
  seed: number,
  /** Asked before every attack: true ends the search with ViewStopped (the page no longer wants it). */
  stop: () => boolean = () => false,
): Promise<AttackCost> {
  const target = clean / 2;
  const halvingEps: (number | null)[] = [];
  for (let m = 0; m < modalities.length; m++) {
    const mask = modalities.map((_, j) => j === m);
    const acc = (eps: number) => {
      if (stop()) throw new ViewStopped();
      return attackAccuracy(model, xs, y, attackSpec('pgd-l2', mask, eps, settings, seed));
    };
    let lo = 0;
    let hi = FIRST_EPS;
    while (hi <= MAX_EPS && (await acc(hi)) > target) [lo, hi] = [hi, hi * 2];
    if (hi > MAX_EPS) {
      halvingEps.push(null);
      continue;
    }
    for (let i = 0; i < BISECTIONS; i++) {
      const mid = (lo + hi) / 2;
      if ((await acc(mid)) > target) lo = mid;
      else hi = mid;
    }
    // The smallest ε found that halves accuracy (within the bisection's last bracket).
    halvingEps.push(hi);
  }
  const dims = xs.map((x) => x.shape[1]);
  const perFeature = halvingEps.map((e, m) => (e === null ? null : e / Math.sqrt(dims[m])));
  const argmin = (v: (number | null)[]) => {
    let best: number | null = null;
    v.forEach((e, m) => {
      if (e !== null && (best === null || e < v[best]!)) best = m;
    });
    return best === null ? null : modalities[best];
  };
  return {
    attack: 'pgd-l2',
    targetAccuracy: target,
    halvingEps,
    halvingEpsPerFeature: perFeature,
    cheapest: argmin(halvingEps),
    cheapestPerFeature: argmin(perFeature),
  };
}

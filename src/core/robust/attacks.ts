import * as tf from '@tensorflow/tfjs-core';
import type { AttackSettings } from '../config';
import { withFixedRows } from '../model/head';
import type { MultiModalModel } from '../model/model';
import { crossEntropy } from '../ops/crossEntropy';
import type { AscentResult, Objective } from './ascent';
import { pgdL2Ascent } from './pgd';
import { pgdLinfAscent } from './pgdLinf';
import { ATTACK_KINDS, ATTACK_LABEL, type AttackKind } from './attackKinds';

export { ATTACK_KINDS, ATTACK_LABEL, type AttackKind };

export interface AttackSpec {
  kind: AttackKind;
  /** Which modalities are attacked. */
  targets: boolean[];
  /** Budget ε (ℓ2 or ℓ∞), or σ for Gaussian noise; unused by the missing-modality attacks. */
  eps: number;
  /** ℓ2 attacks: one ball over the attacked modalities, or a ball of radius ε for each. */
  budget: 'joint' | 'per-modality';
  /** PGD only. */
  steps: number;
  stepSize: number;
  /** The first run's start; every further restart starts at a random point of the ball. */
  randomStart: boolean;
  /** PGD runs per sample; a sample is robust only if it survives every one. */
  restarts: number;
  seed: number;
}

/** Spec §9's "paper preset": 4 steps of ε/3, no random start, one run. */
export const pgdPaperPreset = (eps: number) => ({ steps: 4, stepSize: eps / 3, randomStart: false, restarts: 1 });

/** The attack of a kind, targets and budget under the experiment's attack settings (or the paper preset). */
export function attackSpec(kind: AttackKind, targets: boolean[], eps: number, s: AttackSettings, seed = 0): AttackSpec {
  const pgd =
    s.preset === 'paper'
      ? pgdPaperPreset(eps)
      : { steps: s.steps, stepSize: s.stepFraction * eps, randomStart: s.randomStart, restarts: s.restarts };
  return { kind, targets, eps, budget: s.budget, seed, ...pgd };
}

/** A missing-modality attack: no budget, no steps. */
export const missingSpec = (kind: 'missing-mean' | 'missing-drop', targets: boolean[]): AttackSpec => ({
  kind,
  targets,
  eps: 0,
  budget: 'joint',
  steps: 0,
  stepSize: 0,
  randomStart: false,
  restarts: 1,
  seed: 0,
});

/** CE of the fused output (spec §9), and which samples the iterate misclassifies. */
const fusedObjective =
  (model: MultiModalModel, y: tf.Tensor1D): Objective =>
  (xs) => {
    const logits = model.forward(xs).logits;
    return { loss: crossEntropy(logits, y), wrong: tf.notEqual(tf.argMax(logits, 1), y) as tf.Tensor1D };
  };

/**
 * One run of a perturbation attack; `r` numbers the restart. Call in a tidy. The weights are fixed
 * for the whole run, so its forward passes share one set of head rows.
 */
function run(model: MultiModalModel, xs: tf.Tensor2D[], y: tf.Tensor1D, a: AttackSpec, r: number): AscentResult {
  return withFixedRows(model.head, () => runOnce(model, xs, y, a, r));
}

function runOnce(model: MultiModalModel, xs: tf.Tensor2D[], y: tf.Tensor1D, a: AttackSpec, r: number): AscentResult {
  const objective = fusedObjective(model, y);
  const o = { ...a, randomStart: r > 0 || a.randomStart, seed: a.seed * 104_729 + r };
  switch (a.kind) {
    case 'fgm':
      // One step of length ε along the normalised gradient: PGD with one full step and no start.
      return pgdL2Ascent(objective, xs, { ...o, steps: 1, stepSize: a.eps, randomStart: false });
    case 'pgd-l2':
      return pgdL2Ascent(objective, xs, o);
    case 'pgd-linf':
      return pgdLinfAscent(objective, xs, o);
    case 'gaussian':
      return {
        adv: xs.map((x, m) =>
          a.targets[m] && a.eps > 0
            ? (tf.add(x, tf.randomNormal(x.shape, 0, a.eps, 'float32', o.seed * 131 + m)) as tf.Tensor2D)
            : x,
        ),
        wrong: null,
      };
    case 'missing-mean':
      // The training mean is zero after standardisation.
      return { adv: xs.map((x, m) => (a.targets[m] ? tf.zerosLike(x) : x)), wrong: null };
    case 'missing-drop':
      return { adv: xs, wrong: null };
  }
}

const runs = (a: AttackSpec) =>
  a.kind === 'fgm' || a.kind === 'gaussian' || a.kind.startsWith('missing') ? 1 : Math.max(1, a.restarts);

/**
 * The attacked inputs of a perturbation attack: per sample, the first input of any run that
 * fooled the model, else the last run's end point. Call in a tidy.
 */
export function perturb(model: MultiModalModel, xs: tf.Tensor2D[], y: tf.Tensor1D, a: AttackSpec): tf.Tensor2D[] {
  let best = run(model, xs, y, a, 0);
  for (let r = 1; r < runs(a); r++) {
    // One run at a time: only the best inputs so far are carried to the next.
    const prev = best;
    const [adv, wrong] = tf.tidy(() => {
      const next = run(model, xs, y, a, r);
      if (!prev.wrong || !next.wrong) return [next.adv, next.wrong ? [next.wrong] : []];
      const keep = tf.expandDims(prev.wrong, 1);
      return [
        prev.adv.map((b, m) => tf.where(tf.tile(keep, [1, b.shape[1]]), b, next.adv[m]) as tf.Tensor2D),
        [tf.logicalOr(prev.wrong, next.wrong) as tf.Tensor1D],
      ];
    }) as [tf.Tensor2D[], tf.Tensor1D[]];
    best = { adv, wrong: wrong[0] ?? null };
    // The previous run's tensors, unless carried on (an untargeted modality's input is the caller's).
    const live = new Set<tf.Tensor>([...adv, ...wrong, ...xs]);
    for (const t of [...prev.adv, ...(prev.wrong ? [prev.wrong] : [])]) if (!live.has(t)) t.dispose();
  }
  return best.adv;
}

/** Fused logits under an attack. `missing-drop` keeps the bias and removes the attacked modalities' shares. */
export function attackedLogits(model: MultiModalModel, xs: tf.Tensor2D[], y: tf.Tensor1D, a: AttackSpec): tf.Tensor2D {
  return tf.tidy(() => {
    if (a.kind === 'missing-drop') {
      const out = model.forward(xs);
      const dropped = out.contributions.filter((_, m) => a.targets[m]);
      return (dropped.length ? tf.sub(out.logits, tf.addN(dropped)) : out.logits) as tf.Tensor2D;
    }
    return model.forward(perturb(model, xs, y, a)).logits;
  });
}

/** 1 for each sample the attack leaves correctly classified (every iterate of every run, for PGD). */
function survivors(model: MultiModalModel, xs: tf.Tensor2D[], y: tf.Tensor1D, a: AttackSpec): tf.Tensor1D {
  const correct = (logits: tf.Tensor2D) => tf.equal(tf.argMax(logits, 1), y) as tf.Tensor1D;
  if (a.kind === 'missing-drop' || a.kind === 'missing-mean' || a.kind === 'gaussian')
    return correct(attackedLogits(model, xs, y, a));
  let alive = tf.onesLike(y).cast('bool') as tf.Tensor1D;
  for (let r = 0; r < runs(a); r++) {
    // One run at a time: only who is still alive is carried to the next.
    const prev = alive;
    alive = tf.tidy(() => {
      const res = run(model, xs, y, a, r);
      return tf.logicalAnd(prev, res.wrong ? tf.logicalNot(res.wrong) : correct(model.forward(res.adv).logits));
    }) as tf.Tensor1D;
    prev.dispose();
  }
  return alive;
}

const BATCH = 1024;

/**
 * Accuracy under an attack over a whole split, in batches; only the count of correct samples is
 * read back, once.
 */
export async function attackAccuracy(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  a: AttackSpec,
): Promise<number> {
  const n = y.shape[0];
  if (n === 0) return NaN;
  let correct = tf.scalar(0);
  for (let start = 0, b = 0; start < n; start += BATCH, b++) {
    const size = Math.min(BATCH, n - start);
    const next = tf.tidy(() => {
      const xb = xs.map((x) => x.slice([start, 0], [size, -1]));
      const yb = y.slice(start, size);
      const alive = survivors(model, xb, yb, { ...a, seed: a.seed * 1009 + b });
      return tf.add(correct, tf.sum(tf.cast(alive, 'float32'))) as tf.Scalar;
    });
    correct.dispose();
    correct = next;
  }
  const c = (await correct.data())[0];
  correct.dispose();
  return c / n;
}

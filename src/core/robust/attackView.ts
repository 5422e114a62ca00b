import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';
import type { AttackSettings } from '../config';
import { attackAccuracy, attackedLogits, attackSpec, perturb, type AttackKind } from './attacks';
import { standardTargets } from './evaluation';

export interface AttackRequest {
  kind: AttackKind;
  /** Modalities attacked together. */
  targets: boolean[];
  eps: number;
  /** Which validation sample to show clean and attacked. */
  sample: number;
}

export interface AttackView {
  request: AttackRequest;
  clean: number;
  /** Validation accuracy under the requested attack. */
  accuracy: number;
  /** Accuracy against ε for this kind of attack on each single modality and on all (none for missing-modality attacks). */
  curves: { target: string; eps: number[]; accuracy: number[] }[];
  sample: {
    index: number;
    label: number;
    /** Standardised inputs per modality, clean and attacked, and the prediction for each. */
    clean: Float32Array[];
    attacked: Float32Array[];
    cleanPrediction: number;
    attackedPrediction: number;
  };
}

const isPerturbation = (k: AttackKind) => k !== 'missing-mean' && k !== 'missing-drop';

/** Thrown when the caller no longer wants the view (its `stop` said so between two points). */
export class ViewStopped extends Error {
  constructor() {
    super('the view was no longer wanted');
  }
}

/**
 * The attack panel's numbers on the validation split: no retraining, one batched pass per point.
 * `stop`, asked between points, ends a view nobody wants any more (the page moved on): on a big
 * dataset the curves take seconds that training needs.
 */
export async function attackView(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  y: tf.Tensor1D,
  modalities: string[],
  req: AttackRequest,
  settings: AttackSettings,
  stop: () => boolean = () => false,
): Promise<AttackView> {
  const point = async (spec: ReturnType<typeof attackSpec>) => {
    if (stop()) throw new ViewStopped();
    return attackAccuracy(model, xs, y, spec);
  };
  const spec = attackSpec(req.kind, req.targets, req.eps, settings);
  const clean = await point(attackSpec('fgm', req.targets, 0, settings));
  const accuracy = await point(spec);
  const grid = [0, 0.25, 0.5, 0.75, 1, 1.5, 2].map((f) => f * Math.max(req.eps, 1e-3));
  const curves = [];
  if (isPerturbation(req.kind))
    for (const t of standardTargets(modalities)) {
      const acc = [];
      for (const e of grid) acc.push(await point(attackSpec(req.kind, t.mask, e, settings)));
      curves.push({ target: t.name, eps: grid, accuracy: acc });
    }
  const i = Math.min(Math.max(0, req.sample), y.shape[0] - 1);
  const [cleanX, attackedX, preds, label] = tf.tidy(() => {
    const xi = xs.map((x) => x.slice([i, 0], [1, -1]));
    const yi = y.slice(i, 1);
    const adv = req.kind === 'missing-drop' ? xi : perturb(model, xi, yi, spec);
    const p = tf.stack([tf.argMax(model.forward(xi).logits, 1), tf.argMax(attackedLogits(model, xi, yi, spec), 1)]);
    return [xi, adv, p, yi] as const;
  });
  const read = async (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
  const [c, a, p, l] = [await read(cleanX), await read(attackedX), await preds.data(), (await label.data())[0]];
  tf.dispose([...cleanX, ...attackedX, preds, label]);
  return {
    request: req,
    clean,
    accuracy,
    curves,
    sample: { index: i, label: l, clean: c, attacked: a, cleanPrediction: p[0], attackedPrediction: p[1] },
  };
}

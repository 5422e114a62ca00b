import * as tf from '@tensorflow/tfjs-core';

/**
 * Projected gradient ascent shared by the ℓ2 and ℓ∞ attacks (spec §9). The objective may also
 * say which samples the current iterate misclassifies: then every iterate is checked (the start,
 * each step and the end), a sample counts as broken if any of them fooled the model, and the
 * attacked input returned for it is the first one that did — the standard way to evaluate an
 * attack, which a last-iterate check understates.
 */
export type Objective = (xs: tf.Tensor2D[]) => tf.Scalar | { loss: tf.Scalar; wrong: tf.Tensor1D };

export interface Geometry {
  /** The first perturbation of each attacked modality (zeros, or a random start). */
  start(xs: tf.Tensor2D[]): tf.Tensor2D[];
  /** One ascent step from the gradients, projected back onto the budget. */
  step(delta: tf.Tensor2D[], grads: tf.Tensor2D[]): tf.Tensor2D[];
}

export interface AscentResult {
  adv: tf.Tensor2D[];
  /** 1 where some iterate was misclassified; null when the objective does not say. */
  wrong: tf.Tensor1D | null;
}

/** Call inside a tidy. `idx`: the attacked modalities; the others are returned as they are. */
export function ascend(
  objective: Objective,
  xs: tf.Tensor2D[],
  idx: number[],
  steps: number,
  g: Geometry,
): AscentResult {
  const attacked = (d: tf.Tensor2D[]) =>
    xs.map((x, m) => (idx.includes(m) ? tf.add(x, d[idx.indexOf(m)]) : x)) as tf.Tensor2D[];
  // What the ascent carries from step to step; each step runs in its own tidy, so a long attack
  // (100 steps × 10 runs on a large split) holds one step's intermediates, not all of them.
  interface State {
    delta: tf.Tensor2D[];
    /** Empty until the objective first says which samples are misclassified. */
    wrong: tf.Tensor1D[];
    /** Per sample, the first iterate that fooled the model. */
    found: tf.Tensor2D[];
  }
  const track = (s: State, now: tf.Tensor1D, d: tf.Tensor2D[]): Pick<State, 'wrong' | 'found'> => {
    if (!s.wrong.length) return { wrong: [now], found: d };
    const fresh = tf.logicalAnd(now, tf.logicalNot(s.wrong[0])).expandDims(1);
    return {
      found: s.found.map((f, j) => tf.where(tf.tile(fresh, [1, f.shape[1]]), d[j], f) as tf.Tensor2D),
      wrong: [tf.logicalOr(s.wrong[0], now) as tf.Tensor1D],
    };
  };
  let state: State = { delta: g.start(idx.map((m) => xs[m])), wrong: [], found: [] };
  for (let t = 0; t < steps; t++) {
    const prev = state;
    let kept: tf.Tensor | null = null;
    state = tf.tidy(() => {
      let now: tf.Tensor1D | null = null;
      const grads = tf.grads((...d: tf.Tensor[]) => {
        const r = objective(attacked(d as tf.Tensor2D[]));
        if (r instanceof tf.Tensor) return r;
        now = kept = tf.keep(r.wrong);
        return r.loss;
      })(prev.delta) as tf.Tensor2D[];
      const tracked = now ? track(prev, tf.cast(now, 'bool') as tf.Tensor1D, prev.delta) : prev;
      return { delta: g.step(prev.delta, grads), wrong: tracked.wrong, found: tracked.found };
    }) as unknown as State;
    const live = new Set<tf.Tensor>([...state.delta, ...state.wrong, ...state.found]);
    for (const x of [...prev.delta, ...prev.wrong, ...prev.found, ...(kept ? [kept] : [])])
      if (!live.has(x)) x.dispose();
  }
  const { delta } = state;
  let wrong: tf.Tensor1D | null = state.wrong[0] ?? null;
  let found: tf.Tensor2D[] | null = state.wrong.length ? state.found : null;
  const last = objective(attacked(delta));
  if (last instanceof tf.Tensor) return { adv: attacked(delta), wrong: null };
  const final = track(
    { delta, wrong: wrong ? [wrong] : [], found: found ?? [] },
    tf.cast(last.wrong, 'bool') as tf.Tensor1D,
    delta,
  );
  wrong = final.wrong[0];
  found = final.found;
  const fresh = tf.logicalNot(wrong!).expandDims(1);
  // Samples never fooled end at the last iterate; the others at the first iterate that fooled them.
  const chosen = found!.map((f, j) => tf.where(tf.tile(fresh, [1, f.shape[1]]), delta[j], f) as tf.Tensor2D);
  return { adv: attacked(chosen), wrong: wrong };
}

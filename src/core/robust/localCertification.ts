import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';
import { ViewStopped } from './attackView';
import type { BoundCurves } from './certification';
import { certifiedAccuracy, certifiedRadius, median, type Radii } from './certify';
import { soundConstants } from './lipschitz';
import { gridSize } from './localBound/boundNetwork';
import { localRadii, type LocalRadii } from './localBound/localRadii';
import {
  describeLocalBoundSetting,
  localBoundOptions,
  NO_BRANCHING,
  type LocalBoundSetting,
} from './localBound/localBoundSetting';
import { readBoundModel } from './localBound/readBoundModel';
import { collectOutputs } from './modelOutputs';

/**
 * The local kind's curves (docs/LOCAL-BOUND.md): certified accuracy of the local (CROWN) radii of
 * `samples` of the split's `of` samples, drawn at random with the run's seed (localSample). The bound costs 0.05–4 s per sample, so it may
 * cover only a sample of the split; every reader says so when samples < of.
 */
export interface LocalCurves extends BoundCurves {
  samples: number;
  of: number;
}

/** The local radii of some of a split's samples, and what they cost. */
export interface LocalCertification {
  /** The split's samples certified, in split order: radii[i] is sample indices[i]'s. */
  indices: Int32Array;
  radii: LocalRadii;
  /** The sound radii of the same samples, from the same weights. */
  sound: Radii;
  curves: LocalCurves;
  /** Wall seconds of the bound itself (reading the model back included). */
  seconds: number;
}

export interface LocalCertifyOptions {
  /** Awaited after every `chunk` samples, told how long that chunk took: the worker lets Pause and the training chunks in there. */
  between?: (chunkMs: number) => Promise<void>;
  /** Checked between chunks: true stops the computation with ViewStopped (the page no longer wants it). */
  withdrawn?: () => boolean;
  /** Samples per chunk (default 1: one sample costs 0.05–4 s). */
  chunk?: number;
  /**
   * Runs the reads of the weights with the model held still (the worker's model lock): the bound's
   * float64 copy and the sound constants it is floored by must come from the same training step.
   */
  holdWeights?: <T>(read: () => Promise<T>) => Promise<T>;
  /** The lab's settings of the bound (attack.localBoundBranching, attack.localBoundBudget); default both 0, off. */
  bound?: LocalBoundSetting;
}

/**
 * Local radii, joint and per modality, of the samples `indices` of (xs, labels), with the
 * global sound pair constants as the floor (so no local radius is below the sound one from the
 * same margins), and their certified accuracy at each ε. The weights are read once at the start:
 * a model that trains on meanwhile does not change the answer.
 */
export async function localCertify(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  labels: ArrayLike<number>,
  indices: Int32Array,
  eps: number[],
  o: LocalCertifyOptions = {},
): Promise<LocalCertification> {
  const start = performance.now();
  const of = labels.length;
  const n = indices.length;
  const hold = o.holdWeights ?? ((read) => read());
  const chosen = tf.tidy(() => xs.map((x) => tf.gather(x, tf.tensor1d(indices, 'int32'))));
  const chosenLabels = Array.from(indices, (i) => labels[i]);
  try {
    const { net, globalPair, outputs } = await hold(async () => ({
      net: await readBoundModel(model),
      globalPair: (await soundConstants(model)).pair,
      outputs: await collectOutputs(model, chosen),
    }));
    const sound = certifiedRadius(outputs.logits, chosenLabels, globalPair, outputs.K);
    const dims = net.encoders.map((e) => gridSize(e.input));
    const values = await Promise.all(chosen.map((x) => x.data()));
    const joint = new Float64Array(n);
    const perModality = dims.map(() => new Float64Array(n));
    const correct = new Uint8Array(n);
    let evaluations = 0;
    const boundOptions = localBoundOptions(o.bound ?? NO_BRANCHING);
    const chunk = Math.max(1, o.chunk ?? 1);
    let chunkStart = performance.now();
    for (let i = 0; i < n; i += chunk) {
      if (i > 0) {
        await o.between?.(performance.now() - chunkStart);
        if (o.withdrawn?.()) throw new ViewStopped();
        chunkStart = performance.now();
      }
      const j = Math.min(n, i + chunk);
      const part = values.map((v, m) => v.subarray(i * dims[m], j * dims[m]));
      const r = localRadii(net, part, chosenLabels.slice(i, j), { globalPair, ...boundOptions });
      joint.set(r.joint, i);
      r.perModality.forEach((v, m) => perModality[m].set(v, i));
      correct.set(r.correct, i);
      evaluations += r.evaluations;
    }
    const radii = { joint, perModality, correct, evaluations };
    const seconds = (performance.now() - start) / 1000;
    return { indices, radii, sound, curves: localCurves(radii, eps, of), seconds };
  } finally {
    chosen.forEach((t) => t.dispose());
  }
}

/** Certified accuracy and median of local radii over the samples they cover, `of` the split's size. */
export function localCurves(
  radii: { joint: ArrayLike<number>; perModality: ArrayLike<number>[] },
  eps: number[],
  of: number,
): LocalCurves {
  return {
    all: certifiedAccuracy(radii.joint, eps),
    perModality: radii.perModality.map((p) => certifiedAccuracy(p, eps)),
    medianRadius: median(radii.joint),
    samples: radii.joint.length,
    of,
  };
}

/**
 * "local: 100 random test samples of 900", or "local: all 900 test samples": how much of `split` the
 * local kind covers, and with which setting of the bound when it is not the default.
 */
export function localCoverage(
  c: Pick<LocalCurves, 'samples' | 'of'>,
  split: string,
  setting?: LocalBoundSetting,
): string {
  const how = setting ? describeLocalBoundSetting(setting) : '';
  return (
    (c.samples < c.of
      ? `local: ${c.samples} random ${split} samples of ${c.of}`
      : `local: all ${c.of} ${split} samples`) + (how ? `, ${how}` : '')
  );
}

import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';
import { ViewStopped } from './attackView';
import type { BoundCurves } from './certification';
import { certifiedAccuracy, certifiedRadius, median, type Radii } from './certify';
import { soundConstants } from './lipschitz';
import { gridSize } from './localBound/boundNetwork';
import { localRadii, type LocalRadii } from './localBound/localRadii';
import { readBoundModel } from './localBound/readBoundModel';
import { collectOutputs } from './modelOutputs';

/**
 * The local kind's curves (docs/LOCAL-BOUND.md): certified accuracy of the local (CROWN) radii of
 * the first `samples` of the split's `of` samples. The bound costs 0.05–4 s per sample, so it may
 * cover only a sample of the split; every reader says so when samples < of.
 */
export interface LocalCurves extends BoundCurves {
  samples: number;
  of: number;
}

/** The local radii of a split's first samples, and what they cost. */
export interface LocalCertification {
  radii: LocalRadii;
  /** The sound radii of the same samples, from the same weights. */
  sound: Radii;
  curves: LocalCurves;
  /** Wall seconds of the bound itself (reading the model back included). */
  seconds: number;
}

/** How many of a split's n samples the local bound covers: the setting null means all, 0 none. */
export function localSampleCount(setting: number | null, n: number): number {
  return setting === null ? n : Math.min(Math.max(0, Math.floor(setting)), n);
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
}

/**
 * Local radii, joint and per modality, of the first `count` samples of (xs, labels), with the
 * global sound pair constants as the floor (so no local radius is below the sound one from the
 * same margins), and their certified accuracy at each ε. The weights are read once at the start:
 * a model that trains on meanwhile does not change the answer.
 */
export async function localCertify(
  model: MultiModalModel,
  xs: tf.Tensor2D[],
  labels: ArrayLike<number>,
  count: number,
  eps: number[],
  o: LocalCertifyOptions = {},
): Promise<LocalCertification> {
  const start = performance.now();
  const of = labels.length;
  const n = Math.min(count, of);
  const hold = o.holdWeights ?? ((read) => read());
  const { net, globalPair, outputs } = await hold(async () => {
    const first = tf.tidy(() => xs.map((x) => x.slice([0, 0], [n, -1])));
    try {
      return {
        net: await readBoundModel(model),
        globalPair: (await soundConstants(model)).pair,
        outputs: await collectOutputs(model, first),
      };
    } finally {
      first.forEach((t) => t.dispose());
    }
  });
  const sound = certifiedRadius(outputs.logits, Array.prototype.slice.call(labels, 0, n), globalPair, outputs.K);
  const dims = net.encoders.map((e) => gridSize(e.input));
  const values = await Promise.all(xs.map((x) => x.data()));
  const joint = new Float64Array(n);
  const perModality = dims.map(() => new Float64Array(n));
  const correct = new Uint8Array(n);
  let evaluations = 0;
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
    const r = localRadii(net, part, Array.prototype.slice.call(labels, i, j) as number[], { globalPair });
    joint.set(r.joint, i);
    r.perModality.forEach((v, m) => perModality[m].set(v, i));
    correct.set(r.correct, i);
    evaluations += r.evaluations;
  }
  const radii = { joint, perModality, correct, evaluations };
  return { radii, sound, curves: localCurves(radii, eps, of), seconds: (performance.now() - start) / 1000 };
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

/** "local: 100 of 900 samples", or "local: all 900 samples": how much of the split the local kind covers. */
export function localCoverage(c: Pick<LocalCurves, 'samples' | 'of'>): string {
  return c.samples < c.of ? `local: ${c.samples} of ${c.of} samples` : `local: all ${c.of} samples`;
}

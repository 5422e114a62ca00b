import type * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';
import { certifiedAccuracyOf, type BoundCurves } from './certification';
import { CURVE_EPS, histogram } from './epochEvaluation';
import { localCertify, type LocalCertifyOptions, type LocalCurves } from './localCertification';
import { localBoundSettingOf, NO_BRANCHING, type LocalBoundSetting } from './localBound/localBoundSetting';
import { localSample } from './localSample';

/**
 * The page's view of the local (CROWN) bound on a seeded random sample of the validation split: its curves
 * at the live views' ε, and the sound kind's on the same samples, so the two compare like for like
 * whether or not the local kind covers the whole split.
 */
export interface LocalBoundView {
  eps: number[];
  local: LocalCurves;
  /** The sound kind on the same samples. */
  sound: BoundCurves;
  /** Joint radii of both kinds in common bins (0 to the largest radius of either). */
  histogram: { edges: number[]; local: number[]; sound: number[] };
  /** The validation samples certified (localSample), in split order. */
  indices: number[];
  /**
   * Per modality and validation sample (the whole split, in its order): the local radius when only
   * that modality is attacked; NaN for the samples outside `indices`.
   */
  perModality: number[][];
  seconds: number;
  /** The bound's setting it was computed with (attack.localBoundBranching, attack.localBoundBudget). */
  setting: LocalBoundSetting;
}

const BINS = 20;

/**
 * `setting`: the experiment's attack.localBound (null: every sample; 0 is refused, the page asked
 * for it); `seed`: the run's, which draws the sample as the CLI does.
 */
export async function localBoundView(
  model: MultiModalModel,
  x: tf.Tensor2D[],
  y: tf.Tensor1D,
  setting: number | null,
  seed: number,
  o: LocalCertifyOptions = {},
): Promise<LocalBoundView> {
  const labels = new Int32Array(await y.data());
  const indices = localSample(setting, labels.length, seed);
  if (indices.length === 0)
    throw new Error('The local bound is set to 0 samples (Local bound samples, under Evaluation attacks).');
  const local = await localCertify(model, x, labels, indices, CURVE_EPS, o);
  const soundRadii = local.sound;
  const sound = certifiedAccuracyOf({ sound: soundRadii, estimated: soundRadii }, CURVE_EPS, 0).sound;
  const both = histogram(Float64Array.from([...local.radii.joint, ...soundRadii.joint]), BINS);
  const count = (r: Float64Array) => histogramIn(r, both.edges);
  return {
    eps: [...CURVE_EPS],
    local: local.curves,
    sound,
    histogram: { edges: both.edges, local: count(local.radii.joint), sound: count(soundRadii.joint) },
    indices: Array.from(indices),
    perModality: local.radii.perModality.map((p) => {
      const all = new Array<number>(labels.length).fill(NaN);
      indices.forEach((i, k) => (all[i] = p[k]));
      return all;
    }),
    seconds: local.seconds,
    setting: localBoundSettingOf(o.bound ?? NO_BRANCHING),
  };
}

/** Counts in the bins of `edges` (equal width from 0, the last closed), as histogram() bins them. */
function histogramIn(values: Float64Array, edges: number[]): number[] {
  const bins = edges.length - 1;
  const width = edges[1] - edges[0];
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((Number.isFinite(v) ? v : edges[bins]) / width))]++;
  return counts;
}

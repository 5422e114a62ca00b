import * as tf from '@tensorflow/tfjs-core';
import type { MultiModalModel } from '../model/model';
import type { BoundKind, CertificateKind } from './boundKind';
import { certifiedAccuracy, certifiedRadius, median, type Radii } from './certify';
import { estimatedPairConstants, soundPairConstants, type PairConstants } from './lipschitz';
import type { LocalCurves } from './localCertification';
import type { ModelOutputs } from './modelOutputs';

/** Certified accuracy against ε of one bound kind (spec §6). */
export interface BoundCurves {
  /** CA(ε) of the joint radius: every modality attacked at once. */
  all: number[];
  /** CA(ε) of each modality's radius (only that modality attacked), in the dataset's modality order. */
  perModality: number[][];
  /** Median joint radius; misclassified samples count at 0. */
  medianRadius: number;
}

/**
 * Certified accuracy of one split, every kind: the one result shape of the page's per-epoch
 * evaluation and of the CLI's result. `local` only where it was computed (it costs 0.05–4 s per
 * sample: the CLI computes it when asked, the page on demand), and perhaps on a sample of the split.
 */
export interface CertifiedAccuracy {
  eps: number[];
  sound: BoundCurves;
  local?: LocalCurves;
  estimated: BoundCurves;
  /** Training samples the estimated τ was taken over. */
  estimatedOver: number;
}

export interface Certification {
  /** τ of each kind, and how it was obtained. */
  constants: Record<BoundKind, Pick<PairConstants, 'kind' | 'method' | 'tau'>>;
  radii: Record<BoundKind, Radii>;
  accuracy: CertifiedAccuracy;
}

/**
 * Radii and certified accuracy of both kinds for a split whose outputs were collected (spec §5,
 * §6), with the estimated constants taken over the first `estimateSamples` training inputs. Pair
 * constants are computed only where a radius needs them, so the cost grows linearly in K.
 */
export async function certify(
  model: MultiModalModel,
  outputs: ModelOutputs,
  labels: Int32Array,
  trainX: tf.Tensor2D[],
  eps: number[],
  estimateSamples = Infinity,
): Promise<Certification> {
  const n = Math.min(estimateSamples, trainX[0].shape[0]);
  const subset = n < trainX[0].shape[0] ? tf.tidy(() => trainX.map((t) => t.slice([0, 0], [n, -1]))) : null;
  try {
    const constants = {
      sound: await soundPairConstants(model),
      estimated: await estimatedPairConstants(model, subset ?? trainX),
    };
    const radii = {
      sound: certifiedRadius(outputs.logits, labels, constants.sound, outputs.K),
      estimated: certifiedRadius(outputs.logits, labels, constants.estimated, outputs.K),
    };
    const summary = ({ kind, method, tau }: PairConstants) => ({ kind, method, tau });
    return {
      constants: { sound: summary(constants.sound), estimated: summary(constants.estimated) },
      radii,
      accuracy: certifiedAccuracyOf(radii, eps, n),
    };
  } finally {
    subset?.forEach((t) => t.dispose());
  }
}

/** The curves and median radii of both kinds from their radii. */
export function certifiedAccuracyOf(
  radii: Record<BoundKind, Radii>,
  eps: number[],
  estimatedOver: number,
): CertifiedAccuracy {
  const curves = (r: Radii): BoundCurves => ({
    all: certifiedAccuracy(r.joint, eps),
    perModality: r.perModality.map((p) => certifiedAccuracy(p, eps)),
    medianRadius: median(r.joint),
  });
  return { eps: [...eps], sound: curves(radii.sound), estimated: curves(radii.estimated), estimatedOver };
}

/**
 * CA at one ε of one kind, for `all` or a modality by name; undefined when that ε, modality or
 * kind (local) was not evaluated.
 */
export function certifiedAt(
  ca: CertifiedAccuracy,
  modalities: string[],
  bound: CertificateKind,
  target: string,
  eps: number,
): number | undefined {
  const i = ca.eps.findIndex((e) => Math.abs(e - eps) < 1e-9);
  const curves = ca[bound];
  if (i < 0 || !curves) return undefined;
  if (target === 'all') return curves.all[i];
  const m = modalities.indexOf(target);
  return m < 0 ? undefined : curves.perModality[m]?.[i];
}

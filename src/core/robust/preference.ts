import type { AttackCost } from './attackCost';
import type { Radii } from './certify';
import { median } from './certify';
import type { BoundKind } from './boundKind';
import { cheapestModality } from './cheapestModality';
import type { LocalPreference } from './localPreference';
import { marginShares } from './margins';
import type { ModelOutputs } from './modelOutputs';
import { accuracy } from './modelOutputs';

export interface PreferenceDiagnostics {
  modalities: string[];
  /** Accuracy of each modality's own branch (spec §10). */
  branchAccuracy: number[];
  /** Mean over correctly classified samples of each modality's share of the fused margin against the runner-up. */
  meanShare: number[];
  /** Median single-modality radius rᵐ per modality and bound kind (0 for misclassified samples). */
  medianRadius: Record<BoundKind, number[]>;
  /**
   * Lipschitz ratio of each modality relative to the first, = the inverse ratio of the median
   * single-modality radii (spec §10): above 1 means cheaper to attack than modality 0.
   */
  lipschitzRatio: Record<BoundKind, number[]>;
  /**
   * By the bounds (sound: a guarantee, 2–5× below an attack's first flip on the MLP models, the local
   * bound 1.1–2.5×, docs/LOCAL-BOUND.md §8): the modality with the smallest median rᵐ.
   */
  cheapest: Record<BoundKind, string>;
  /** Measured: the ε at which PGD on each modality alone halves accuracy (null when not measured). */
  measured: AttackCost | null;
  /** The modality whose branch is most accurate: the one joint training tends to prefer. */
  preferred: string;
  /**
   * The local (CROWN) bound's verdict on the samples it certified (the CLI's --local-bound sample);
   * absent where the local bound was not computed.
   */
  local?: LocalPreference;
}

export function preferenceDiagnostics(
  outputs: ModelOutputs,
  labels: Int32Array,
  radii: Record<BoundKind, Radii>,
  modalities: string[],
  measured: AttackCost | null = null,
): PreferenceDiagnostics {
  const K = outputs.K;
  const branchAccuracy = outputs.uni.map((u) => accuracy(u, labels, K));
  const shares = marginShares(outputs.logits, outputs.contributions, labels, K);
  const correct = radii.sound.correct;
  const meanShare = shares.shares.map((s) => {
    let sum = 0;
    let n = 0;
    s.forEach((v, i) => {
      if (!correct[i]) return;
      sum += v;
      n++;
    });
    return n ? sum / n : NaN;
  });
  const medianRadius = {
    sound: radii.sound.perModality.map((r) => median(r)),
    estimated: radii.estimated.perModality.map((r) => median(r)),
  };
  const ratio = (rs: number[]) => rs.map((r) => rs[0] / r);
  // Null only when the split is empty (every median NaN), which no caller diagnoses.
  const cheapest = (rs: number[]) => cheapestModality(modalities, rs) as string;
  return {
    modalities,
    branchAccuracy,
    meanShare,
    medianRadius,
    lipschitzRatio: { sound: ratio(medianRadius.sound), estimated: ratio(medianRadius.estimated) },
    cheapest: { sound: cheapest(medianRadius.sound), estimated: cheapest(medianRadius.estimated) },
    preferred: modalities[branchAccuracy.indexOf(Math.max(...branchAccuracy))],
    measured,
  };
}

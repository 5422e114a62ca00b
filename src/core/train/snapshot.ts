import type { AttackKind } from '../robust/attackKinds';
import type { BoundKind } from '../robust/boundKind';
import type { EpochEvaluation } from '../robust/epochEvaluation';

/** Plain, serialisable records a training run emits; views and the CLI read only these. */

export type Phase = 'train' | 'teachers' | 'step1' | 'lipschitz' | 'step2';

export const PHASE_LABEL: Record<Phase, string> = {
  train: 'training',
  teachers: 'uni-modal teachers',
  step1: 'step 1: uni-modal margins',
  lipschitz: 'Lipschitz estimation',
  step2: 'step 2: integration weights',
};

export interface SplitMetrics {
  loss: number;
  accuracy: number;
  /** Accuracy of each modality's own branch (argmax of its uni-modal logits). */
  branchAccuracy: number[];
}

export interface EpochRecord {
  /** Epoch within its phase, and counted over the whole run (for charts spanning phases). */
  epoch: number;
  runEpoch: number;
  phase: Phase;
  train: SplitMetrics;
  val: SplitMetrics;
  /** Integration weights aᵐ per modality (CRMT head), or null. */
  integration: number[][] | null;
  /** Margins, radii and certified accuracy on the validation split (for the live views). */
  evaluation: EpochEvaluation | null;
  /** On the last epoch of a phase that selects: the epoch whose weights were kept (now in the model). */
  selection?: Selection;
  /** What went wrong in this epoch that the user should know (e.g. validation accuracy falling). */
  warnings?: string[];
  /**
   * Validation accuracy under the attack the page had switched on while this epoch trained
   * (added by the page's worker after the epoch; absent when no attack was on).
   */
  attack?: EpochAttack;
}

/** Which epoch of a phase was kept, by which validation criterion (never the test split). */
export interface Selection {
  phase: Phase;
  criterion: 'val-accuracy' | 'val-loss' | 'val-certified';
  value: number;
  epoch: number;
  runEpoch: number;
  /** The phase's last epoch trained, and whether patience ended it early. */
  lastEpoch: number;
  stoppedEarly: boolean;
}

export interface EpochAttack {
  kind: AttackKind;
  /** The attacked modalities, by name. */
  targets: string[];
  eps: number;
  accuracy: number;
}

export interface LipschitzRecord {
  kind: BoundKind;
  method: string;
  /** τₖᵐ per modality and class. */
  tau: number[][];
}

export interface Progress {
  phase: Phase;
  /** Index of the phase in the run's plan, and the number of phases. */
  phaseIndex: number;
  phases: number;
  /** Completed epochs of this phase. */
  epoch: number;
  epochs: number;
  /** Optimiser steps done over the whole run, and the total the run will take. */
  step: number;
  totalSteps: number;
  samplesPerSecond: number;
  stepsPerSecond: number;
  /** Mean training loss over the steps since the previous snapshot. */
  loss: number;
}

export type Snapshot =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'epoch'; progress: Progress; record: EpochRecord }
  | { kind: 'lipschitz'; progress: Progress; lipschitz: LipschitzRecord }
  | { kind: 'done'; progress: Progress }
  | { kind: 'diverged'; progress: Progress; message: string };

/**
 * The epoch record that describes the weights a run holds now: the last one, unless the last
 * phase kept an earlier epoch (model selection), then that epoch's record.
 */
export function heldRecord(history: readonly EpochRecord[]): EpochRecord | undefined {
  const last = history.at(-1);
  const kept = last?.selection?.runEpoch;
  return kept === undefined ? last : (history.find((r) => r.runEpoch === kept) ?? last);
}

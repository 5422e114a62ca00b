/** Plain, serialisable records a training run emits; views and the CLI read only these. */

export type Phase = 'step1' | 'lipschitz' | 'step2' | 'train';

export interface SplitMetrics {
  loss: number;
  accuracy: number;
  /** Accuracy of each modality's own branch (argmax of its uni-modal logits). */
  branchAccuracy: number[];
}

export interface EpochRecord {
  epoch: number;
  phase: Phase;
  train: SplitMetrics;
  val: SplitMetrics;
}

export interface Progress {
  phase: Phase;
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
  | { kind: 'done'; progress: Progress }
  | { kind: 'diverged'; progress: Progress; message: string };

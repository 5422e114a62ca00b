import type { ExperimentJson } from '../params/experimentJson';
import type { BoundKind } from '../robust/boundKind';
import type { CertifiedAccuracy } from '../robust/certification';
import type { RobustPoint } from '../robust/evaluation';
import type { PreferenceDiagnostics } from '../robust/preference';
import type { EpochRecord, SplitMetrics } from '../train/snapshot';

/** Named and versioned so a reader can tell what it holds; schemas/result.schema.json describes it. */
export const RESULT_FORMAT = 'crmt-lab-result';
/** 1 was the unversioned result with snake_case keys (clean_acc, median_radius, …). */
export const RESULT_VERSION = 2;

/**
 * The CLI's JSON: one trained (or imported) model evaluated on one split. Everything given per
 * modality is an array in `modalities` order, as in the page's epoch records.
 */
export interface ExperimentResult {
  format: typeof RESULT_FORMAT;
  version: typeof RESULT_VERSION;
  /** The experiment that ran, as the page's Config JSON writes it: `--config` runs it again. */
  experiment: ExperimentJson;
  method: string;
  dataset: string;
  seed: number;
  backend: string;
  modalities: string[];
  /**
   * Every ε and radius is an ℓ2 norm in the standardised space (each feature (x − mean)/std of the
   * training split). `featureStd`: per modality, the smallest and the RMS std of its features, to
   * read them in raw units: a standardised radius r certifies every raw perturbation of norm up to
   * r × min std, and a standardised ε is typically ε × rms std in raw units.
   */
  units: { space: 'standardised'; featureStd: { min: number[]; rms: number[] } | null };
  /** The split every number below is measured on, and its size. */
  split: EvalSplit;
  samples: number;
  /** Loss, accuracy and each branch's accuracy on clean inputs (the function the page's epochs use). */
  clean: SplitMetrics;
  /** FGM-ℓ2 and PGD-ℓ2 (the lab's stronger default) on each modality and on all, at each ε; missing modality both ways. */
  robust: RobustPoint[];
  /** The same shape as an epoch record's `evaluation.certified`, with `local` when --local-bound was not 0. */
  certified: CertifiedAccuracy;
  /** Integration weights aᵐ per modality (CRMT head), or null. */
  integration: number[][] | null;
  /** τₖᵐ per modality and class, both kinds. */
  lipschitz: Record<BoundKind, number[][]>;
  preference: PreferenceDiagnostics;
  /** Epochs of the main phase asked for, and every epoch record of the run (the page's shape). */
  epochs: number;
  history: EpochRecord[];
  trainSeconds: number;
  /**
   * Seconds for all the attacks above together, for one PGD-ℓ2 pass over the split, and for the
   * local bound on its samples (when computed).
   */
  evalSeconds: { attacks: number; onePgdPass: number; localBound?: number };
}

export type EvalSplit = 'val' | 'test';

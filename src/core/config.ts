import type { Activation } from './model/activationNames';
import type { HeadRows } from './model/crmtHead';
import { AUDIO_VISUAL_DEFAULTS, type AudioVisualParams } from './data/builtin/audioVisual';
import { TOY2D_DEFAULTS, type Toy2dParams } from './data/builtin/toy2d';
import type { BoundKind } from './robust/boundKind';
import type { MethodId } from './train/methods';

/**
 * Which dataset: a built-in generated one (its settings are kept for both, so switching back and
 * forth loses nothing) or the user's upload, which lives in the worker and not in the URL.
 */
export interface DataChoice {
  kind: 'toy2d' | 'audioVisual' | 'upload';
  toy2d: Toy2dParams;
  audioVisual: AudioVisualParams;
  /** The uploaded dataset's name, when kind is 'upload'. */
  uploadName?: string;
}

/** The whole experiment as one typed, plain object: what the URL, the worker and the CLI share. */
export interface ExperimentConfig {
  data: DataChoice;
  /** Modalities used, by name; empty means the dataset's default (all of them, or the first two of more). */
  modalities: string[];
  model: ModelSettings;
  train: TrainSettings;
}

export interface ModelSettings {
  /** MLP encoder widths; the last is the feature dimension dₘ (the CRMT head needs dₘ ≥ K). */
  hidden: number[];
  activation: Activation;
  /** Encoder kind per modality; 'auto' uses the CNN for image-shaped modalities when `cnn` is on. */
  encoder: 'mlp' | 'cnn-for-images';
  cnn: { filters: number[]; outDim: number };
}

export interface TrainSettings {
  method: MethodId;
  /** Epochs of the main phase (step 1 for CRMT). */
  epochs: number;
  batchSize: number;
  /** Adam's learning rate for the main phase. */
  learningRate: number;
  /** L2 penalty (coupled weight decay, as PyTorch's Adam) on every weight matrix of the main phase. */
  weightDecay: number;
  seed: number;
  /** Steps between two progress snapshots (each costs one small read-back). */
  progressEvery: number;
  /** After each epoch, margins, radii and certified accuracy on the validation split for the live views. */
  liveEvaluation: boolean;
  /** ρ, weight of step 1's margin term (official 2.0). */
  rho: number;
  /**
   * ε inside step 1's log: log(Σ exp(zₖ − z_y) + ε). The official code's 1e-5 bounds the term
   * below by log ε ≈ −11.5; with 0 (the spec's pure form) the term is unbounded below and, once
   * every training margin is positive, its gradient never fades, so the weights grow without
   * limit (measured on mfeat fou+fac: loss −5000 and σ_max ×10 in 30 epochs).
   */
  marginFloor: number;
  headRows: HeadRows;
  step2: Step2Settings;
  at: AdversarialSettings;
  mixupAlpha: number;
  /** UMT: weight α of the feature-distillation term, and the teachers' epochs (null: as many as the student's). */
  umtAlpha: number;
  teacherEpochs: number | null;
}

export interface Step2Settings {
  /** null: a third of step 1's epochs (official), at least 1. */
  epochs: number | null;
  /** Official: SGD momentum 0.9, lr = 0.03 × base lr, weight decay 1e-2. */
  lrScale: number;
  momentum: number;
  weightDecay: number;
  classChoice: 'min' | 'runner-up';
  /** Which τ step 2 holds fixed: the estimated kind (the paper) or the sound bounds. */
  tauSource: BoundKind;
}

export const TAU_SOURCES: readonly BoundKind[] = ['estimated', 'sound'];

/**
 * A step-2 τ source as read from a URL, a config file or a stored run: `certified`, the lab's
 * word for `sound` before the bound kinds were renamed, still reads as `sound`. Null otherwise.
 */
export function readTauSource(v: unknown): BoundKind | null {
  if (v === 'certified') return 'sound';
  return TAU_SOURCES.includes(v as BoundKind) ? (v as BoundKind) : null;
}

export interface AdversarialSettings {
  /** Joint ℓ2 budget of the training attack (official 0.1, in standardised units). */
  eps: number;
  steps: number;
  stepSize: number;
  randomStart: boolean;
  /** Weight of the clean loss: 0 = adversarial only (official), 0.5 = half and half. */
  cleanWeight: number;
}

export const DEFAULT_TRAIN: TrainSettings = {
  method: 'jt',
  epochs: 30,
  batchSize: 64,
  learningRate: 0.01,
  weightDecay: 0,
  seed: 1,
  progressEvery: 10,
  liveEvaluation: true,
  rho: 2,
  marginFloor: 1e-5,
  headRows: 'orthonormal',
  step2: { epochs: null, lrScale: 0.03, momentum: 0.9, weightDecay: 1e-2, classChoice: 'min', tauSource: 'estimated' },
  at: { eps: 0.1, steps: 5, stepSize: 0.02, randomStart: false, cleanWeight: 0 },
  mixupAlpha: 1,
  umtAlpha: 1,
  teacherEpochs: null,
};

export const DEFAULT_CONFIG: ExperimentConfig = {
  data: { kind: 'toy2d', toy2d: TOY2D_DEFAULTS, audioVisual: AUDIO_VISUAL_DEFAULTS },
  modalities: [],
  model: { hidden: [64, 32], activation: 'relu', encoder: 'mlp', cnn: { filters: [8, 16], outDim: 32 } },
  train: DEFAULT_TRAIN,
};

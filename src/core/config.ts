import type { AudioVisualParams } from './data/builtin/audioVisual';
import type { Toy2dParams } from './data/builtin/toy2d';
import type { Activation } from './model/activationNames';
import type { HeadRows } from './model/crmtHead';
import { defaultsFromTable } from './params/paramDefaults';
import type { BoundKind } from './robust/boundKind';
import type { MethodId } from './train/methods';

/**
 * The experiment's types. Every leaf is a parameter of the table in ./params (its default, range,
 * help, URL key, CLI flag and config path live there, once); DEFAULT_CONFIG is built from it.
 */

/**
 * Which dataset: a built-in generated one (its settings are kept for both, so switching back and
 * forth loses nothing) or the user's upload, which lives in the worker and not in the URL.
 */
export interface DataChoice {
  kind: 'toy2d' | 'audioVisual' | 'upload';
  toy2d: Toy2dParams;
  audioVisual: AudioVisualParams;
  /** The uploaded dataset's name, when kind is 'upload' (a label, not a setting). */
  uploadName?: string;
}

/** The whole experiment as one typed, plain object: what the URL, the worker and the CLI share. */
export interface ExperimentConfig {
  data: DataChoice;
  /** Modalities used, by name; empty means the dataset's default (all of them, or the first two of more). */
  modalities: string[];
  model: ModelSettings;
  train: TrainSettings;
  /** How the CLI, the reports and the attack panel evaluate robustness. */
  attack: AttackSettings;
}

export interface ModelSettings {
  /** MLP encoder widths; the last is the feature dimension dₘ (the CRMT head needs dₘ ≥ K). */
  hidden: number[];
  activation: Activation;
  /** Encoder kind per modality; 'cnn-for-images' uses the CNN for image-shaped modalities. */
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
  /**
   * Model selection on the validation split: each phase keeps its best epoch by this criterion
   * (`last`: the last epoch, as the official code). The test split is never used for any choice.
   */
  selection: 'val-accuracy' | 'val-loss' | 'val-certified' | 'last';
  /** ε of the `val-certified` criterion: sound certified accuracy at this radius (standardised units). */
  selectionEps: number;
  /** Epochs without improvement of the criterion before a phase stops early; null: never. */
  patience: number | null;
  /** Steps between two progress snapshots (each costs one small read-back): how a run is shown, not what it computes. */
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
  /**
   * The samples step 2 fits a on: `validation`, which the encoders never trained on (a step-1
   * model's training margins are larger than its unseen ones, so step 2 fit there favours the
   * branch that overfits), or `train` (the official code).
   */
  data: 'validation' | 'train';
  /** Which τ step 2 holds fixed: the estimated kind (the paper) or the sound bounds. */
  tauSource: BoundKind;
}

export interface AdversarialSettings {
  /** Joint ℓ2 budget of the training attack (official 0.1, in standardised units). */
  eps: number;
  steps: number;
  /** Size of each PGD step; null: ε/steps (the official rule), so it follows ε and the steps. */
  stepSize: number | null;
  randomStart: boolean;
  /** Weight of the clean loss: 0 = adversarial only (official), 0.5 = half and half. */
  cleanWeight: number;
}

/** The attacks of evaluation (spec §9); FGM is one step of ε. */
export interface AttackSettings {
  /** Budgets the CLI and the reports evaluate at, in standardised units. */
  eps: number[];
  /** `paper`: 4 steps of ε/3, no random start, one run, whatever the fields below say. */
  preset: 'lab' | 'paper';
  budget: 'joint' | 'per-modality';
  steps: number;
  /** Each step is this fraction of ε. */
  stepFraction: number;
  randomStart: boolean;
  restarts: number;
  /** Samples of the evaluated split the local (CROWN) bound certifies: null all of them, 0 none. */
  localBound: number | null;
  /** Branch-and-bound depth of the local bound (localRadius's `branching`); 0 off. */
  localBoundBranching: number;
  /** Evaluations per ball and radius of the local bound's best-first branch and bound (localBoundSetting.ts); 0 off. */
  localBoundBudget: number;
}

/** AT's step size: the setting, or ε/steps when it is left to follow them (the official rule). */
export const atStepSize = (at: AdversarialSettings): number => at.stepSize ?? at.eps / at.steps;

export const DEFAULT_CONFIG: ExperimentConfig = defaultsFromTable();
export const DEFAULT_TRAIN: TrainSettings = DEFAULT_CONFIG.train;

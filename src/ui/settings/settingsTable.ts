import type { ExperimentConfig } from '../../core/config';
import { DEFAULT_CONFIG, readTauSource, TAU_SOURCES } from '../../core/config';
import { ACTIVATIONS } from '../../core/model/activationNames';
import { METHODS, type MethodSpec } from '../../core/train/methods';

type Kind = 'number' | 'select' | 'boolean' | 'list';

export interface Setting {
  id: string;
  label: string;
  /** One line of help. */
  help: string;
  kind: Kind;
  options?: readonly string[];
  /** Old words still read (from a URL or a config file) as one of the options. */
  aliases?: Readonly<Record<string, string>>;
  min?: number;
  max?: number;
  step?: number;
  /** Whether the setting means anything for this method and model (others are hidden). */
  applies(m: MethodSpec, c: ExperimentConfig): boolean;
  get(c: ExperimentConfig): number | string | boolean;
  set(c: ExperimentConfig, v: number | string | boolean): void;
}

const always = () => true;
const crmtHead = (m: MethodSpec) => m.head === 'crmt';
const marginTerm = (m: MethodSpec) => m.marginTerm;
const step2 = (m: MethodSpec) => m.step2;
const adversarial = (m: MethodSpec) => m.inputs === 'adversarial';

const num = (
  id: string,
  label: string,
  help: string,
  get: (c: ExperimentConfig) => number,
  set: (c: ExperimentConfig, v: number) => void,
  range: { min: number; max: number; step: number },
  applies: Setting['applies'] = always,
): Setting => ({ id, label, help, kind: 'number', ...range, applies, get, set: (c, v) => set(c, Number(v)) });

/** Every hyper-parameter of the spec, with its default (from DEFAULT_CONFIG) and one line of help. */
export const SETTINGS: Setting[] = [
  num(
    'epochs',
    'Epochs',
    'Epochs of the main phase (step 1 for CRMT).',
    (c) => c.train.epochs,
    (c, v) => (c.train.epochs = v),
    { min: 1, max: 1000, step: 1 },
  ),
  num(
    'batch',
    'Batch size',
    'Samples per optimiser step.',
    (c) => c.train.batchSize,
    (c, v) => (c.train.batchSize = v),
    { min: 1, max: 4096, step: 1 },
  ),
  num(
    'lr',
    'Learning rate',
    "Adam's learning rate in the main phase.",
    (c) => c.train.learningRate,
    (c, v) => (c.train.learningRate = v),
    { min: 1e-5, max: 1, step: 0.001 },
  ),
  num(
    'wd',
    'Weight decay',
    'L2 penalty on weight matrices in the main phase (0: none).',
    (c) => c.train.weightDecay,
    (c, v) => (c.train.weightDecay = v),
    { min: 0, max: 1, step: 0.0001 },
  ),
  num(
    'seed',
    'Seed',
    'Initial weights, batch order and attacks; the same seed gives the same numbers.',
    (c) => c.train.seed,
    (c, v) => (c.train.seed = v),
    { min: 0, max: 1e6, step: 1 },
  ),
  {
    id: 'hidden',
    label: 'MLP widths',
    help: 'Hidden widths, e.g. 64-32; the last is the feature size dₘ (the CRMT head needs dₘ ≥ classes).',
    kind: 'list',
    applies: always,
    get: (c) => c.model.hidden.join('-'),
    set: (c, v) => {
      const w = String(v).split('-').map(Number);
      if (w.length && w.every((x) => Number.isInteger(x) && x > 0)) c.model.hidden = w;
    },
  },
  {
    id: 'act',
    label: 'Activation',
    help: 'Every choice is 1-Lipschitz, so the certified bound is unchanged by it.',
    kind: 'select',
    options: ACTIVATIONS,
    applies: always,
    get: (c) => c.model.activation,
    set: (c, v) => (c.model.activation = v as ExperimentConfig['model']['activation']),
  },
  {
    id: 'encoder',
    label: 'Image encoder',
    help: 'MLP on flattened pixels, or a small CNN for image and spectrogram modalities (WASM cannot train it).',
    kind: 'select',
    options: ['mlp', 'cnn-for-images'],
    applies: always,
    get: (c) => c.model.encoder,
    set: (c, v) => (c.model.encoder = v as ExperimentConfig['model']['encoder']),
  },
  {
    id: 'cnnFilters',
    label: 'CNN filters',
    help: 'Filters of each 3×3 convolution, e.g. 8-16; each is followed by 2×2 average pooling.',
    kind: 'list',
    applies: (_, c) => c.model.encoder === 'cnn-for-images',
    get: (c) => c.model.cnn.filters.join('-'),
    set: (c, v) => {
      const f = String(v).split('-').map(Number);
      if (f.length && f.every((x) => Number.isInteger(x) && x > 0)) c.model.cnn.filters = f;
    },
  },
  num(
    'cnnOut',
    'CNN feature size',
    "The CNN's output dimension dₘ.",
    (c) => c.model.cnn.outDim,
    (c, v) => (c.model.cnn.outDim = v),
    { min: 1, max: 1024, step: 1 },
    (_, c) => c.model.encoder === 'cnn-for-images',
  ),
  num(
    'rho',
    'ρ (margin term)',
    "Weight of step 1's uni-modal margin term (official 2).",
    (c) => c.train.rho,
    (c, v) => (c.train.rho = v),
    { min: 0, max: 20, step: 0.1 },
    marginTerm,
  ),
  num(
    'marginFloor',
    'Margin-term ε',
    'log(Σ exp + ε): the official 1e-5 keeps the term bounded below; 0 is the unbounded pure form.',
    (c) => c.train.marginFloor,
    (c, v) => (c.train.marginFloor = v),
    { min: 0, max: 1, step: 1e-5 },
    marginTerm,
  ),
  {
    id: 'headRows',
    label: 'Head rows',
    help: 'orthonormal: W̃ = (VVᵀ)^{-1/2}V (the paper); unit: rows centred and unit-norm (the official code).',
    kind: 'select',
    options: ['orthonormal', 'unit'],
    applies: crmtHead,
    get: (c) => c.train.headRows,
    set: (c, v) => (c.train.headRows = v as ExperimentConfig['train']['headRows']),
  },
  num(
    's2epochs',
    'Step 2 epochs',
    'Epochs of step 2 (0: a third of step 1, as the official code).',
    (c) => c.train.step2.epochs ?? 0,
    (c, v) => (c.train.step2.epochs = v > 0 ? v : null),
    { min: 0, max: 1000, step: 1 },
    step2,
  ),
  num(
    's2lr',
    'Step 2 lr scale',
    "Step 2's SGD learning rate as a multiple of the base rate (official 0.03).",
    (c) => c.train.step2.lrScale,
    (c, v) => (c.train.step2.lrScale = v),
    { min: 0, max: 10, step: 0.01 },
    step2,
  ),
  num(
    's2momentum',
    'Step 2 momentum',
    'SGD momentum of step 2 (official 0.9).',
    (c) => c.train.step2.momentum,
    (c, v) => (c.train.step2.momentum = v),
    { min: 0, max: 0.999, step: 0.01 },
    step2,
  ),
  num(
    's2wd',
    'Step 2 weight decay',
    'Weight decay on a in step 2 (official 1e-2).',
    (c) => c.train.step2.weightDecay,
    (c, v) => (c.train.step2.weightDecay = v),
    { min: 0, max: 1, step: 0.001 },
    step2,
  ),
  {
    id: 's2class',
    label: 'Step 2 class',
    help: 'min: the smallest radius over all k ≠ y (the paper); runner-up: k = argmax hₖ (the official code).',
    kind: 'select',
    options: ['min', 'runner-up'],
    applies: step2,
    get: (c) => c.train.step2.classChoice,
    set: (c, v) => (c.train.step2.classChoice = v as 'min' | 'runner-up'),
  },
  {
    id: 's2tau',
    label: 'Step 2 τ',
    help: 'estimated: max gradient norms over training samples (the paper); sound: the guaranteed bounds.',
    kind: 'select',
    options: TAU_SOURCES,
    aliases: { certified: 'sound' },
    applies: step2,
    get: (c) => c.train.step2.tauSource,
    set: (c, v) => (c.train.step2.tauSource = readTauSource(v) ?? c.train.step2.tauSource),
  },
  num(
    'atEps',
    'AT ε',
    'Joint ℓ2 budget of the training attack (official 0.1).',
    (c) => c.train.at.eps,
    (c, v) => (c.train.at.eps = v),
    { min: 0, max: 10, step: 0.01 },
    adversarial,
  ),
  num(
    'atSteps',
    'AT steps',
    'PGD steps of the training attack (official 5).',
    (c) => c.train.at.steps,
    (c, v) => (c.train.at.steps = v),
    { min: 1, max: 50, step: 1 },
    adversarial,
  ),
  num(
    'atStep',
    'AT step size',
    'Size of each PGD step (official ε/5).',
    (c) => c.train.at.stepSize,
    (c, v) => (c.train.at.stepSize = v),
    { min: 0, max: 10, step: 0.005 },
    adversarial,
  ),
  {
    id: 'atRandom',
    label: 'AT random start',
    help: 'Start the training attack at a random point of the ball (official: no).',
    kind: 'boolean',
    applies: adversarial,
    get: (c) => c.train.at.randomStart,
    set: (c, v) => (c.train.at.randomStart = Boolean(v)),
  },
  num(
    'atClean',
    'AT clean weight',
    'Share of the clean loss: 0 = adversarial only (official), 0.5 = half and half.',
    (c) => c.train.at.cleanWeight,
    (c, v) => (c.train.at.cleanWeight = v),
    { min: 0, max: 1, step: 0.05 },
    adversarial,
  ),
  num(
    'mixAlpha',
    'Mixup α',
    'λ ~ Beta(α, α), one λ and one permutation per batch.',
    (c) => c.train.mixupAlpha,
    (c, v) => (c.train.mixupAlpha = v),
    { min: 0.01, max: 10, step: 0.05 },
    (m) => m.inputs === 'mixup',
  ),
  num(
    'umtAlpha',
    'UMT α',
    'Weight of the feature-distillation term Σₘ‖φᵐ − φᵐ_teacher‖².',
    (c) => c.train.umtAlpha,
    (c, v) => (c.train.umtAlpha = v),
    { min: 0, max: 100, step: 0.1 },
    (m) => m.structure === 'umt',
  ),
  num(
    'teacherEpochs',
    'Teacher epochs',
    "Epochs of the uni-modal teachers (0: as many as the student's).",
    (c) => c.train.teacherEpochs ?? 0,
    (c, v) => (c.train.teacherEpochs = v > 0 ? v : null),
    { min: 0, max: 1000, step: 1 },
    (m) => m.structure === 'umt',
  ),
];

export const defaultOf = (s: Setting) => s.get(DEFAULT_CONFIG);
export const methodOf = (c: ExperimentConfig) => METHODS[c.train.method];

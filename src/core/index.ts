/**
 * CRMT Lab's engine as a library (package.json "exports": "crmt-lab"): data, models, the methods'
 * training, attacks, Lipschitz bounds and certified radii, and model export. Framework-free; it
 * runs wherever TensorFlow.js does. Register a backend before use, e.g.
 * `import '@tensorflow/tfjs-backend-cpu'` (see the README's "The engine as a library").
 */

import '#tf-setup';

// The experiment: one typed object, its defaults and its JSON form (spec: CRMT-SPEC.md).
export { DEFAULT_CONFIG, type ExperimentConfig, type ModelSettings, type TrainSettings } from './config';
export { experimentFromJson, experimentToJson } from './params/experimentJson';
export { METHOD_IDS, METHODS, isMethodId, type MethodId, type MethodSpec } from './train/methods';

// Data: the built-in generators, standardisation with training-split statistics.
export type { Dataset, ModalitySpec, SplitName } from './data/dataset';
export { builtinDataset } from './data/builtin/builtin';
export { prepareDataset, standardised, type PreparedData } from './data/prepare';
export { applyStandardisation, trainingStatistics, type Standardisation } from './data/standardise';

// Models and training.
export { createModel, type ModelSpec, type MultiModalModel } from './model/model';
export { Trainer, uploadSplit, type SplitTensors } from './train/trainer';
export type { Snapshot, EpochRecord, Progress } from './train/snapshot';
export { runExperiment, type RunOptions } from './experiment/runExperiment';
export type { ExperimentResult } from './experiment/experimentResult';

// Robustness: outputs, attacks, Lipschitz constants (sound and estimated), certified radii.
export { accuracy, collectOutputs, type ModelOutputs } from './robust/modelOutputs';
export { attackAccuracy, attackSpec, type AttackKind, type AttackSpec } from './robust/attacks';
export { soundConstants, estimatedConstants, type LipschitzConstants } from './robust/lipschitz';
export { certifiedAccuracy, certifiedRadius, type Radii } from './robust/certify';
export { certify, certifiedAt, type Certification, type CertifiedAccuracy } from './robust/certification';
export type { BoundKind } from './robust/boundKind';

// Export and import of trained models (config.json, safetensors, tfjs Layers, ONNX, PyTorch loader).
export { exportModel, importModel, type ExportedConfig, type ImportedModel } from './io/exportModel';
export { LAB_VERSION } from './version';

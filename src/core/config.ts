import type { Activation } from './model/activationNames';
import { TOY2D_DEFAULTS, type Toy2dParams } from './data/toy2d';

/** The whole experiment as one typed, plain object: what the URL, the worker and the CLI share. */
export interface ExperimentConfig {
  data: { kind: 'toy2d'; toy2d: Toy2dParams };
  model: { hidden: number[]; activation: Activation };
  train: TrainSettings;
}

export interface TrainSettings {
  method: 'jt';
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Steps between two progress snapshots (each costs one small read-back). */
  progressEvery: number;
}

export const DEFAULT_CONFIG: ExperimentConfig = {
  data: { kind: 'toy2d', toy2d: TOY2D_DEFAULTS },
  model: { hidden: [32, 16], activation: 'relu' },
  train: { method: 'jt', epochs: 30, batchSize: 64, learningRate: 0.01, seed: 1, progressEvery: 10 },
};

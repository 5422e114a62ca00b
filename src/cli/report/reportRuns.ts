import { DEFAULT_CONFIG, type AttackSettings, type ExperimentConfig } from '../../core/config';
import type { Dataset } from '../../core/data/dataset';
import { standardised } from '../../core/data/prepare';
import type { Standardisation } from '../../core/data/standardise';
import type { ExperimentResult } from '../../core/experiment/experimentResult';
import { runExperiment, type RunOptions } from '../../core/experiment/runExperiment';
import { attackAccuracy, attackSpec } from '../../core/robust/attacks';
import type { MethodId } from '../../core/train/methods';
import { uploadSplit } from '../../core/train/trainer';
import { dataSource } from '../experimentOptions';
import { loadData } from '../loadData';
import { cellsOf } from './reportColumns';
import { keep, type SeedRun, type StrengthRow } from './reportData';

/** A dataset of docs/RESULTS.md, with the ε each table reads (standardised units). */
export interface ReportDataset {
  data: string;
  modalities: string[] | null;
  attackEps: number;
  certEps: number[];
}

export const REPORT_DATASETS: ReportDataset[] = [
  { data: 'toy-2d', modalities: null, attackEps: 0.5, certEps: [0.1, 0.25] },
  { data: 'audio-visual', modalities: null, attackEps: 2, certEps: [0.05, 0.1] },
  { data: '../shared/data/mfeat_handwritten', modalities: ['fou', 'fac'], attackEps: 1, certEps: [0.05, 0.1] },
  { data: '../shared/data/mnist_usps_hw2sources', modalities: null, attackEps: 2, certEps: [0.05, 0.1] },
  { data: '../shared/data/optdigits_halves', modalities: null, attackEps: 1, certEps: [0.05, 0.1] },
];

/**
 * Test samples each run certifies with the local (CROWN) bound, drawn at random with the run's
 * seed (so each seed certifies others). At 0.05–0.25 s a sample with MLP encoders
 * (docs/LOCAL-BOUND.md §7) every sample of a 240–1,100 sample test split would add up to 4 min
 * to each of a section's 33 runs; 50 add 2–12 s a run (about 20 min to the whole report).
 * RESULTS.md names the count in the local columns' headers.
 */
export const REPORT_LOCAL_SAMPLES = 50;

/** The methods whose measured preference (the ε that halves accuracy) the report reads. */
export const COST_METHODS: readonly string[] = ['jt', 'crmt-jt'];

/** The attack the lab's default is checked against: 100 steps of ε/20 (a path of 5ε), 10 runs. */
export const STRONG_ATTACK: AttackSettings = {
  ...DEFAULT_CONFIG.attack,
  preset: 'lab',
  steps: 100,
  stepFraction: 0.05,
  randomStart: false,
  restarts: 10,
};

/** The defaults before model selection: every phase keeps its last epoch, step 2 fits a on train. */
export function beforeSelection(c: ExperimentConfig): ExperimentConfig {
  return { ...c, train: { ...c.train, selection: 'last', step2: { ...c.train.step2, data: 'train' } } };
}

export interface LoadedDataset {
  entry: ReportDataset;
  data: Dataset;
  stats: Standardisation;
  base: ExperimentConfig;
}

/** A report dataset read and standardised with its training split's statistics. */
export async function loadReportDataset(entry: ReportDataset): Promise<LoadedDataset> {
  const base: ExperimentConfig = {
    ...DEFAULT_CONFIG,
    data: { ...DEFAULT_CONFIG.data },
    modalities: entry.modalities ?? [],
    train: { ...DEFAULT_CONFIG.train, liveEvaluation: false },
  };
  const { data, stats } = standardised(await loadData(dataSource(entry.data, base), base));
  return { entry, data, stats, base };
}

export interface RowOptions {
  backend: string;
  before?: boolean;
  /** Also run STRONG_ATTACK on every target at the table's attack ε. */
  strength?: boolean;
  onSnapshot?: RunOptions['onSnapshot'];
  onEvaluation?: RunOptions['onEvaluation'];
}

/** One method, one seed: trained, evaluated on the test split, reduced to the report's numbers. */
export async function runReportRow(
  d: LoadedDataset,
  method: MethodId,
  seed: number,
  o: RowOptions,
): Promise<{ run: SeedRun; strength: StrengthRow[]; result: ExperimentResult }> {
  // The "before" rows are read for clean, PGD and sound columns only: they do not pay for the local bound.
  const plain: ExperimentConfig = {
    ...d.base,
    train: { ...d.base.train, method, seed },
    attack: { ...d.base.attack, localBound: o.before ? 0 : REPORT_LOCAL_SAMPLES },
  };
  const config = o.before ? beforeSelection(plain) : plain;
  const names = d.data.modalities.map((m) => m.name);
  const targets = [...names.map((_, i) => names.map((__, j) => j === i)), names.map(() => true)];
  const strongAcc: number[] = [];
  const result = await runExperiment(d.data, config, {
    eps: [...d.entry.certEps, d.entry.attackEps],
    backend: o.backend,
    standardisation: d.stats,
    measureAttackCost: !o.before && COST_METHODS.includes(method),
    onSnapshot: o.onSnapshot,
    onEvaluation: o.onEvaluation,
    onTrained: o.strength
      ? async (model) => {
          const test = uploadSplit(d.data, 'test');
          for (const t of targets)
            strongAcc.push(
              await attackAccuracy(
                model,
                test.x,
                test.y,
                attackSpec('pgd-l2', t, d.entry.attackEps, STRONG_ATTACK, seed),
              ),
            );
          test.x.forEach((x) => x.dispose());
          test.y.dispose();
        }
      : undefined,
  });
  const cells = Object.fromEntries(
    Object.entries(cellsOf(result, { ...d.entry, local: !o.before })).map(([k, v]) => [k, keep(v)]),
  );
  const measured = result.preference.measured;
  const strength = strongAcc.map((strong, i) => {
    const target = i < names.length ? names[i] : 'all';
    return { method, seed, target, lab: cells[`PGD ${target}`] ?? NaN, strong: keep(strong)! };
  });
  return {
    run: {
      seed,
      cells,
      halvingEps: measured ? measured.halvingEps.map(keep) : null,
      halvingEpsPerFeature: measured ? measured.halvingEpsPerFeature.map(keep) : null,
      cheapestSound: result.preference.cheapest.sound,
    },
    strength,
    result,
  };
}

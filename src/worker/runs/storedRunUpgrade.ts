import type { ExperimentConfig } from '../../core/config';
import { experimentFromJson } from '../../core/params/experimentJson';
import type { EpochEvaluation } from '../../core/robust/epochEvaluation';
import type { EpochRecord } from '../../core/train/snapshot';
import type { StoredRun } from './storedRun';

/** An epoch evaluation as runs stored it before the page and the CLI shared one result shape. */
interface EvaluationBeforeUnification {
  marginQuantiles: number[][];
  radiusHistogram: { edges: number[]; counts: number[] };
  eps: number[];
  certified: Record<'sound' | 'estimated', { all: number[]; perModality: number[][] }>;
  medianRadius: Record<'sound' | 'estimated', number>;
  estimatedOver: number;
}

/**
 * Runs in users' browsers outlive the code that wrote them: reading one brings it to the
 * current shape, so an old run still opens and charts. A run already in the current shape comes
 * back unchanged (the same object).
 */
export function upgradeStoredRun(run: StoredRun): StoredRun {
  const history = run.history.map(upgradeEpochRecord);
  const config = upgradeConfig(run.config);
  const changed = history.some((h, i) => h !== run.history[i]) || config !== run.config;
  if (!changed) return run;
  return { ...run, config, history };
}

/**
 * A stored experiment read through the parameter table, as a Config JSON of an earlier release is
 * (old words such as step 2's `certified` τ, sections added since take their defaults). The same
 * object when nothing changes; kept as it is if it cannot be read, so the run still lists.
 */
export function upgradeConfig(config: ExperimentConfig): ExperimentConfig {
  try {
    const read = experimentFromJson(config);
    read.train.liveEvaluation = config.train.liveEvaluation ?? read.train.liveEvaluation;
    read.train.progressEvery = config.train.progressEvery ?? read.train.progressEvery;
    return JSON.stringify(read) === JSON.stringify(config) ? config : read;
  } catch {
    return config;
  }
}

/** Moves the old evaluation's eps, medianRadius and estimatedOver into its `certified` result. */
export function upgradeEpochRecord(record: EpochRecord): EpochRecord {
  const e = record.evaluation as EpochEvaluation | EvaluationBeforeUnification | null;
  if (!e || !('eps' in e)) return record;
  const evaluation: EpochEvaluation = {
    marginQuantiles: e.marginQuantiles,
    radiusHistogram: e.radiusHistogram,
    certified: {
      eps: e.eps,
      sound: { ...e.certified.sound, medianRadius: e.medianRadius.sound },
      estimated: { ...e.certified.estimated, medianRadius: e.medianRadius.estimated },
      estimatedOver: e.estimatedOver,
    },
  };
  return { ...record, evaluation };
}
